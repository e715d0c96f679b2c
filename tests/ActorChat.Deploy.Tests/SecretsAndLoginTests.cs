namespace ActorChat.Deploy.Tests;

/// <summary>What the shipped deployment files must never do: hand out tokens to anyone, or carry a usable key.</summary>
public sealed class SecretsAndLoginTests
{
    [Fact]
    public void No_deployment_file_turns_the_dev_login_on()
    {
        var devLogin = DeployFiles.Settings().Where(s => s.Variable == "ActorChat__Auth__DevLogin").ToList();
        Assert.All(devLogin, s => Assert.True(
            string.Equals(s.Value, "false", StringComparison.OrdinalIgnoreCase),
            $"{s.File} sets ActorChat__Auth__DevLogin to {s.Value ?? "a value from elsewhere"}"));
    }

    [Fact]
    public void No_deployment_file_carries_a_signing_key_or_dashboard_key()
    {
        var keys = DeployFiles.Settings().Where(s => s.Variable is "ActorChat__Auth__SigningKey" or "ActorChat__Dashboard__Key").ToList();
        Assert.NotEmpty(keys);

        // Kubernetes takes them from a Secret the operator creates (valueFrom); Compose from the operator's environment.
        Assert.All(keys, s => Assert.True(
            s.Value is null || s.Value.StartsWith("${", StringComparison.Ordinal),
            $"{s.File} sets {s.Variable} to a literal"));
        var manifests = DeployFiles.Load(DeployFiles.Kubernetes);
        Assert.DoesNotContain(manifests, d => d["kind"].ToString() == "Secret");
    }
}
