using YamlDotNet.RepresentationModel;

namespace ActorChat.Deploy.Tests;

/// <summary>The shipped deployment files, read as Compose and Kubernetes read them.</summary>
internal static class DeployFiles
{
    public const string Compose = "deploy/docker-compose.yml";
    public const string Kubernetes = "deploy/kubernetes/actorchat.yaml";
    public static readonly string[] Dockerfiles = ["deploy/docker/silo.Dockerfile", "deploy/docker/api.Dockerfile"];
    private static readonly string[] DataFields = ["data", "stringData"];

    /// <summary>
    /// Every <c>ActorChat__*</c> variable a deployment file sets, with its literal value, or null when the value
    /// comes from elsewhere (a Kubernetes <c>valueFrom</c>).
    /// </summary>
    public static IEnumerable<(string File, string Variable, string? Value)> Settings()
    {
        var services = (YamlMappingNode)Load(Compose).Single()["services"];
        foreach (var (name, service) in services.Children)
        {
            if (Merged((YamlMappingNode)service).Children.TryGetValue(new YamlScalarNode("environment"), out var environment))
            {
                foreach (var (variable, value) in ((YamlMappingNode)environment).Children)
                {
                    yield return ($"{Compose} ({name})", variable.ToString(), value.ToString());
                }
            }
        }

        foreach (var document in Load(Kubernetes))
        {
            var kind = document["kind"].ToString();
            if (kind is "ConfigMap" or "Secret")
            {
                foreach (var field in DataFields.Where(f => document.Children.ContainsKey(f)))
                {
                    foreach (var (variable, value) in ((YamlMappingNode)document[field]).Children)
                    {
                        yield return ($"{Kubernetes} ({kind})", variable.ToString(), value.ToString());
                    }
                }
            }

            if (kind == "Deployment")
            {
                var pod = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)document["spec"])["template"])["spec"];
                foreach (var container in ((YamlSequenceNode)pod["containers"]).Cast<YamlMappingNode>().Where(c => c.Children.ContainsKey("env")))
                {
                    foreach (var entry in ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>())
                    {
                        var value = entry.Children.TryGetValue(new YamlScalarNode("value"), out var literal) ? literal.ToString() : null;
                        yield return ($"{Kubernetes} ({container["name"]})", entry["name"].ToString(), value);
                    }
                }
            }
        }

        foreach (var dockerfile in Dockerfiles)
        {
            foreach (var line in File.ReadAllLines(Repository.PathOf(dockerfile)).Where(l => l.Contains("ActorChat__", StringComparison.Ordinal)))
            {
                var assignment = line.Trim().TrimEnd('\\').Trim().Split(' ').Last().Split('=', 2);
                yield return (dockerfile, assignment[0], assignment[1]);
            }
        }
    }

    public static List<YamlMappingNode> Load(string relative)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Repository.PathOf(relative));
        stream.Load(reader);
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    /// <summary>A mapping with its YAML merge key (<c>&lt;&lt;: *anchor</c>) applied, as Compose applies it.</summary>
    public static YamlMappingNode Merged(YamlMappingNode node)
    {
        if (!node.Children.TryGetValue(new YamlScalarNode("<<"), out var inherited))
        {
            return node;
        }

        var merged = new YamlMappingNode();
        foreach (var (key, value) in ((YamlMappingNode)inherited).Children)
        {
            merged.Children[key] = value;
        }

        foreach (var (key, value) in node.Children.Where(c => c.Key.ToString() != "<<"))
        {
            merged.Children[key] = value;
        }

        return merged;
    }
}
