using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ActorChat.Deploy.Tests;

/// <summary>
/// Sockets and event streams are opened with a one-use ticket in the query (and old clients may still send their
/// token there): the shipped proxies must not write those queries to their access logs, and must log the rest as
/// before.
/// </summary>
public sealed partial class AccessLogTests
{
    public static TheoryData<string> NginxConfigs => new() { "deploy/docker/nginx.conf", "deploy/local-cluster.sh" };

    private static readonly string[] Ticketed = ["/ws", "/api/rooms/lobby/events", "/api/rooms/dm:alice:bob/events"];

    private static readonly string[] Others = ["/", "/api/rooms", "/api/rooms/lobby", "/api/rooms/lobby/messages", "/api/auth/ticket", "/actorchat.js", "/wsx"];

    [Theory]
    [MemberData(nameof(NginxConfigs))]
    public void Nginx_logs_the_socket_and_event_stream_paths_without_their_query_and_the_rest_as_before(string file)
    {
        var text = File.ReadAllText(Repository.PathOf(file));
        var config = new NginxConfig(file.EndsWith(".sh", StringComparison.Ordinal) ? GeneratedNginxConfig(text) : text);
        foreach (var path in Ticketed)
        {
            var format = config.FormatFor(path);
            Assert.True(format is null || !NginxConfig.LogsQuery(format), $"{file}: {path} is logged with its query: {format}");
        }

        foreach (var path in Others)
        {
            var format = config.FormatFor(path);
            Assert.True(format is not null && NginxConfig.LogsQuery(format), $"{file}: {path} is no longer logged in full: {format}");
        }
    }

    [Fact]
    public void The_kubernetes_ingress_does_not_access_log_the_socket_and_event_stream_paths_and_logs_the_rest()
    {
        var ingresses = DeployFiles.Load("deploy/kubernetes/actorchat.yaml").Where(d => d["kind"].ToString() == "Ingress").ToList();
        var paths = (
            from ingress in ingresses
            let annotations = (YamlMappingNode)((YamlMappingNode)ingress["metadata"])["annotations"]
            let logged = !annotations.Children.TryGetValue(new YamlScalarNode("nginx.ingress.kubernetes.io/enable-access-log"), out var access) || access.ToString() != "false"
            let regex = annotations.Children.TryGetValue(new YamlScalarNode("nginx.ingress.kubernetes.io/use-regex"), out var useRegex) && useRegex.ToString() == "true"
            from rule in (YamlSequenceNode)((YamlMappingNode)ingress["spec"])["rules"]
            from path in (YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)rule)["http"])["paths"]
            select (Path: ((YamlMappingNode)path)["path"].ToString(), Logged: logged, Regex: regex)).ToList();

        // ingress-nginx: use-regex on any Ingress of a host makes every path of it a case-insensitive ^regex, tried
        // longest first (docs/user-guide/ingress-path-matching.md); first match wins.
        Assert.Contains(paths, p => p.Regex);
        var ordered = paths.OrderByDescending(p => p.Path.Length).ToList();
        bool Logged(string uri) => ordered.First(p => Regex.IsMatch(uri, "^" + p.Path, RegexOptions.IgnoreCase)).Logged;

        Assert.All(Ticketed, uri => Assert.False(Logged(uri), $"{uri} is access-logged"));
        Assert.All(Others, uri => Assert.True(Logged(uri), $"{uri} is not access-logged"));
    }

    /// <summary>The nginx.conf that local-cluster.sh writes: its <c>echo "..."</c> lines, unescaped.</summary>
    private static string GeneratedNginxConfig(string script)
    {
        var start = script.IndexOf("worker_processes", StringComparison.Ordinal);
        var end = script.IndexOf("> \"$run/nginx.conf\"", start, StringComparison.Ordinal);
        var lines = script[start..end].Split('\n')
            .Select(l => EchoPattern().Match(l))
            .Where(m => m.Success)
            .Select(m => m.Groups["text"].Value.Replace("\\$", "$", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal));
        return string.Join('\n', lines);
    }

    [GeneratedRegex("""^\s*(?:for .*do )?echo "(?<text>.*)";?(?: done)?\s*$""")]
    private static partial Regex EchoPattern();
}
