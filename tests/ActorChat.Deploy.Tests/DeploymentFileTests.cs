using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace ActorChat.Deploy.Tests;

/// <summary>
/// Docker cannot run here, so the deployment files are checked for what can be checked: they parse, name the
/// right images, ports, probes and settings, and the projects they publish do publish.
/// </summary>
public sealed class DeploymentFileTests
{
    [Fact]
    public void The_compose_file_starts_postgres_redis_three_silos_two_front_ends_and_nginx_with_health_checks()
    {
        var compose = DeployFiles.Load("deploy/docker-compose.yml").Single();
        var services = (YamlMappingNode)compose["services"];
        var names = services.Children.Keys.Select(k => k.ToString()).ToHashSet();
        Assert.Equal(["api1", "api2", "nginx", "postgres", "redis", "silo1", "silo2", "silo3"], names.Order());

        foreach (var name in new[] { "silo1", "silo2", "silo3", "api1", "api2", "redis", "postgres" })
        {
            var service = DeployFiles.Merged((YamlMappingNode)services[name]);
            Assert.True(service.Children.ContainsKey("healthcheck"), $"{name} has no health check");
        }

        foreach (var name in new[] { "silo1", "silo2", "silo3", "api1", "api2" })
        {
            var service = DeployFiles.Merged((YamlMappingNode)services[name]);
            var dockerfile = ((YamlMappingNode)service["build"])["dockerfile"].ToString();
            Assert.True(File.Exists(Repository.PathOf(dockerfile)), dockerfile);
            foreach (var variable in ((YamlMappingNode)service["environment"]).Children.Keys.Select(k => k.ToString()))
            {
                Assert.True(SettingNames.Exists(variable), $"{name}: {variable} is not an ActorChat setting");
            }
        }

        // Rooms and messages in PostgreSQL on a volume of their own; the silos wait for it.
        var postgres = (YamlMappingNode)services["postgres"];
        Assert.Contains(((YamlSequenceNode)postgres["volumes"]).Select(v => v.ToString()), v => v.EndsWith(":/var/lib/postgresql/data", StringComparison.Ordinal));
        var silo = DeployFiles.Merged((YamlMappingNode)services["silo1"]);
        Assert.Equal("Postgres", ((YamlMappingNode)silo["environment"])["ActorChat__Storage__Provider"].ToString());
        Assert.True(((YamlMappingNode)silo["depends_on"]).Children.ContainsKey("postgres"));

        var redis = string.Join(' ', ((YamlSequenceNode)((YamlMappingNode)services["redis"])["command"]).Select(c => c.ToString()));
        Assert.Contains("--appendonly yes", redis, StringComparison.Ordinal);
        Assert.Contains("--appendfsync always", redis, StringComparison.Ordinal);

        var nginx = File.ReadAllText(Repository.PathOf("deploy/docker/nginx.conf"));
        Assert.Contains("server api1:8080", nginx, StringComparison.Ordinal);
        Assert.Contains("server api2:8080", nginx, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header Upgrade $http_upgrade", nginx, StringComparison.Ordinal);
        Assert.DoesNotContain("ip_hash", nginx, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("deploy/docker/silo.Dockerfile", "silo/ActorChat.Silo/ActorChat.Silo.csproj", "ActorChat.Silo.dll")]
    [InlineData("deploy/docker/api.Dockerfile", "api/ActorChat.Api/ActorChat.Api.csproj", "ActorChat.Api.dll")]
    public void Each_dockerfile_is_multi_stage_runs_as_a_non_root_user_and_starts_its_published_project(string dockerfile, string project, string assembly)
    {
        var text = File.ReadAllText(Repository.PathOf(dockerfile));
        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", text, StringComparison.Ordinal);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime", text, StringComparison.Ordinal);
        Assert.Contains($"dotnet publish {project}", text, StringComparison.Ordinal);
        Assert.Contains("USER $APP_UID", text, StringComparison.Ordinal);
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{assembly}\"]", text, StringComparison.Ordinal);
        Assert.True(File.Exists(Repository.PathOf(project)));
        foreach (var line in text.Split('\n').Where(l => l.Contains("ActorChat__", StringComparison.Ordinal)))
        {
            var variable = line.Trim().Split('=')[0].Split(' ').Last();
            Assert.True(SettingNames.Exists(variable), $"{dockerfile}: {variable}");
        }
    }

    [Fact]
    public void The_kubernetes_manifests_have_probes_a_disruption_budget_rbac_and_websocket_friendly_ingress()
    {
        var documents = DeployFiles.Load("deploy/kubernetes/actorchat.yaml");
        var kinds = documents.Select(d => d["kind"].ToString()).ToList();
        foreach (var kind in new[] { "Namespace", "ConfigMap", "ServiceAccount", "Role", "RoleBinding", "Service", "Ingress" })
        {
            Assert.Contains(kind, kinds);
        }

        Assert.Equal(2, kinds.Count(k => k == "Deployment"));
        Assert.Equal(2, kinds.Count(k => k == "PodDisruptionBudget"));

        foreach (var deployment in documents.Where(d => d["kind"].ToString() == "Deployment"))
        {
            var pod = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)deployment["spec"])["template"])["spec"];
            var grace = int.Parse(pod["terminationGracePeriodSeconds"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(grace > 5, "the grace period must outlast the sockets' close timeout (5 s)");
            var container = (YamlMappingNode)((YamlSequenceNode)pod["containers"]).Single();
            Assert.StartsWith("actorchat/", container["image"].ToString(), StringComparison.Ordinal);
            Assert.Equal("/health/ready", ((YamlMappingNode)((YamlMappingNode)container["readinessProbe"])["httpGet"])["path"].ToString());
            Assert.Equal("/health/live", ((YamlMappingNode)((YamlMappingNode)container["livenessProbe"])["httpGet"])["path"].ToString());
            Assert.True(((YamlMappingNode)container["resources"]).Children.ContainsKey("requests"));
            if (container.Children.ContainsKey("env"))
            {
                foreach (var variable in ((YamlSequenceNode)container["env"]).Select(e => ((YamlMappingNode)e)["name"].ToString()).Where(n => n.StartsWith("ActorChat__", StringComparison.Ordinal)))
                {
                    Assert.True(SettingNames.Exists(variable), variable);
                }
            }
        }

        foreach (var data in documents.Where(d => d["kind"].ToString() is "ConfigMap" or "Secret"))
        {
            var values = (YamlMappingNode)data[data["kind"].ToString() == "Secret" ? "stringData" : "data"];
            Assert.All(values.Children.Keys.Select(k => k.ToString()), variable => Assert.True(SettingNames.Exists(variable), variable));
        }

        // Every Ingress carries sockets (see AccessLogTests for why there are two).
        foreach (var ingress in documents.Where(d => d["kind"].ToString() == "Ingress"))
        {
            var annotations = (YamlMappingNode)((YamlMappingNode)ingress["metadata"])["annotations"];
            Assert.Equal("3600", annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"].ToString());
            Assert.Equal("none", annotations["nginx.ingress.kubernetes.io/affinity"].ToString());
        }
    }

    [Theory]
    [InlineData("silo/ActorChat.Silo/ActorChat.Silo.csproj", "ActorChat.Silo.dll")]
    [InlineData("api/ActorChat.Api/ActorChat.Api.csproj", "ActorChat.Api.dll")]
    public async Task Each_images_project_publishes(string project, string assembly)
    {
        var output = Path.Combine(Path.GetTempPath(), $"actorchat-publish-{Guid.NewGuid():N}");
        try
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "publish", Repository.PathOf(project), "-c", "Release", "-o", output, "--nologo", "-v", "quiet" })
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
            Assert.True(process.ExitCode == 0, $"{await stdout}{await stderr}");
            Assert.True(File.Exists(Path.Combine(output, assembly)));
            Assert.True(File.Exists(Path.Combine(output, "appsettings.json")));
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
