using YamlDotNet.RepresentationModel;

namespace ActorChat.Deploy.Tests;

/// <summary>
/// What the deployment files let the public reach: the chat, and not the dashboards, the metrics or the ports a
/// pod could join the cluster through.
/// </summary>
public sealed class ExposureTests
{
    private const string ManagementPort = "9090";
    private static readonly string[] ClusterPorts = ["11111", "30000"];
    private static readonly string[] ClusterApps = ["actorchat-silo", "actorchat-api"];

    [Fact]
    public void Compose_publishes_only_the_load_balancer_publicly_and_a_management_port_on_loopback_only()
    {
        var services = (YamlMappingNode)DeployFiles.Load(DeployFiles.Compose).Single()["services"];
        foreach (var (name, node) in services.Children)
        {
            var service = DeployFiles.Merged((YamlMappingNode)node);
            if (!service.Children.TryGetValue(new YamlScalarNode("ports"), out var ports))
            {
                continue;
            }

            foreach (var port in ((YamlSequenceNode)ports).Select(p => p.ToString()))
            {
                Assert.True(
                    (name.ToString() == "nginx" && port == "8080:8080") || port.StartsWith("127.0.0.1:", StringComparison.Ordinal),
                    $"{name} publishes {port} beyond this machine");
            }
        }

        var servers = DeployFiles.Settings().Where(s => s.File.StartsWith(DeployFiles.Compose, StringComparison.Ordinal) && s.Variable == "ActorChat__Management__Urls").ToList();
        Assert.Equal(5, servers.Count);
        Assert.All(servers, s => Assert.EndsWith($":{ManagementPort}", s.Value, StringComparison.Ordinal));
    }

    [Fact]
    public void The_load_balancer_does_not_pass_on_the_dashboard_or_metrics()
    {
        var nginx = File.ReadAllText(Repository.PathOf("deploy/docker/nginx.conf"));
        Assert.Contains("location ^~ /dashboard { return 404; }", nginx, StringComparison.Ordinal);
        Assert.Contains("location ^~ /metrics { return 404; }", nginx, StringComparison.Ordinal);
        Assert.DoesNotContain($":{ManagementPort}", nginx, StringComparison.Ordinal);
    }

    [Fact]
    public void Kubernetes_routes_only_the_public_port_and_keeps_the_management_port_for_scraping()
    {
        var documents = DeployFiles.Load(DeployFiles.Kubernetes);
        var configMap = documents.Single(d => d["kind"].ToString() == "ConfigMap");
        Assert.EndsWith($":{ManagementPort}", ((YamlMappingNode)configMap["data"])["ActorChat__Management__Urls"].ToString(), StringComparison.Ordinal);

        // The front ends' Service: the database's own Service serves the silos inside the namespace only.
        foreach (var service in documents.Where(d => d["kind"].ToString() == "Service" && ((YamlMappingNode)d["metadata"])["name"].ToString() != "actorchat-postgres"))
        {
            foreach (var port in ((YamlSequenceNode)((YamlMappingNode)service["spec"])["ports"]).Cast<YamlMappingNode>())
            {
                Assert.Equal("http", port["targetPort"].ToString());
            }
        }

        var ingresses = documents.Where(d => d["kind"].ToString() == "Ingress").ToList();
        Assert.NotEmpty(ingresses);
        var backends = ingresses.SelectMany(ingress => ((YamlSequenceNode)((YamlMappingNode)ingress["spec"])["rules"]).Cast<YamlMappingNode>())
            .SelectMany(rule => ((YamlSequenceNode)((YamlMappingNode)rule["http"])["paths"]).Cast<YamlMappingNode>())
            .Select(path => (YamlMappingNode)((YamlMappingNode)path["backend"])["service"]);
        Assert.All(backends, backend => Assert.Equal("http", ((YamlMappingNode)backend["port"])["name"].ToString()));

        foreach (var deployment in documents.Where(d => d["kind"].ToString() == "Deployment"))
        {
            var template = (YamlMappingNode)((YamlMappingNode)deployment["spec"])["template"];
            var annotations = (YamlMappingNode)((YamlMappingNode)template["metadata"])["annotations"];
            Assert.Equal("true", annotations["prometheus.io/scrape"].ToString());
            Assert.Equal(ManagementPort, annotations["prometheus.io/port"].ToString());
            var container = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)template["spec"])["containers"]).Single();
            var ports = ((YamlSequenceNode)container["ports"]).Cast<YamlMappingNode>().ToDictionary(p => p["name"].ToString(), p => p["containerPort"].ToString());
            Assert.Equal(ManagementPort, ports["management"]);
        }
    }

    [Fact]
    public void Kubernetes_admits_the_silo_and_gateway_ports_only_from_silos_and_front_ends()
    {
        var policy = DeployFiles.Load(DeployFiles.Kubernetes).Single(d => d["kind"].ToString() == "NetworkPolicy"
            && ((YamlMappingNode)d["metadata"])["name"].ToString() == "actorchat-silo");
        var spec = (YamlMappingNode)policy["spec"];
        Assert.Equal("actorchat-silo", ((YamlMappingNode)((YamlMappingNode)spec["podSelector"])["matchLabels"])["app"].ToString());
        Assert.Contains("Ingress", ((YamlSequenceNode)spec["policyTypes"]).Select(t => t.ToString()));

        var rules = ((YamlSequenceNode)spec["ingress"]).Cast<YamlMappingNode>().ToList();
        foreach (var clusterPort in ClusterPorts)
        {
            var admitting = rules.Where(r => ((YamlSequenceNode)r["ports"]).Cast<YamlMappingNode>().Any(p => p["port"].ToString() == clusterPort)).ToList();
            Assert.NotEmpty(admitting);
            foreach (var rule in admitting)
            {
                Assert.True(rule.Children.ContainsKey("from"), $"port {clusterPort} is open to every source");
                foreach (var peer in ((YamlSequenceNode)rule["from"]).Cast<YamlMappingNode>())
                {
                    Assert.Equal(["podSelector"], peer.Children.Keys.Select(k => k.ToString()));
                    var app = ((YamlMappingNode)((YamlMappingNode)peer["podSelector"])["matchLabels"])["app"].ToString();
                    Assert.Contains(app, ClusterApps);
                }
            }
        }
    }

    [Fact]
    public void Kubernetes_keeps_the_database_on_a_persistent_volume_that_only_silos_reach()
    {
        var documents = DeployFiles.Load(DeployFiles.Kubernetes);
        var database = documents.Single(d => d["kind"].ToString() == "StatefulSet" && ((YamlMappingNode)d["metadata"])["name"].ToString() == "actorchat-postgres");
        var claims = (YamlSequenceNode)((YamlMappingNode)database["spec"])["volumeClaimTemplates"];
        Assert.Single(claims);

        var policy = documents.Single(d => d["kind"].ToString() == "NetworkPolicy" && ((YamlMappingNode)d["metadata"])["name"].ToString() == "actorchat-postgres");
        var rule = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)policy["spec"])["ingress"]).Single();
        var peer = (YamlMappingNode)((YamlSequenceNode)rule["from"]).Single();
        Assert.Equal("actorchat-silo", ((YamlMappingNode)((YamlMappingNode)peer["podSelector"])["matchLabels"])["app"].ToString());

        var configMap = documents.Single(d => d["kind"].ToString() == "ConfigMap");
        Assert.Equal("Postgres", ((YamlMappingNode)configMap["data"])["ActorChat__Storage__Provider"].ToString());
    }
}
