using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace ActorChat.Deploy.Tests;

/// <summary><c>deploy/api-key.sh</c> makes a fresh secret and the configuration that holds only its hash.</summary>
public sealed class ApiKeyScriptTests
{
    [Fact]
    public async Task The_script_prints_a_fresh_secret_and_the_settings_with_its_sha256()
    {
        var first = await RunAsync("backend", "publish", "users");
        var second = await RunAsync("backend", "publish", "users");

        var secret = Value(first, "secret: ");
        Assert.NotEqual(secret, Value(second, "secret: "));
        Assert.True(secret.Length >= 40, secret);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
        Assert.Equal(hash, Value(first, "hash:   "));
        Assert.Contains("ActorChat__ServerApi__Keys__0__Name=backend", first);
        Assert.Contains($"ActorChat__ServerApi__Keys__0__Hash={hash}", first);
        Assert.Contains("ActorChat__ServerApi__Keys__0__Scopes__0=publish", first);
        Assert.Contains("ActorChat__ServerApi__Keys__0__Scopes__1=users", first);
        Assert.DoesNotContain(first, l => l.Contains(secret, StringComparison.Ordinal) && l.StartsWith("ActorChat__", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_script_refuses_unknown_scopes_and_bad_names()
    {
        Assert.Null(await RunAsync(expectFailure: true, "backend", "admin"));
        Assert.Null(await RunAsync(expectFailure: true, "bad name!"));
    }

    private static string Value(IReadOnlyList<string> lines, string prefix) =>
        lines.Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..];

    private static async Task<IReadOnlyList<string>> RunAsync(params string[] arguments) => (await RunAsync(expectFailure: false, arguments))!;

    private static async Task<IReadOnlyList<string>?> RunAsync(bool expectFailure, params string[] arguments)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Repository.PathOf("deploy/api-key.sh"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (expectFailure)
        {
            Assert.NotEqual(0, process.ExitCode);
            Assert.NotEmpty(await errors);
            return null;
        }

        Assert.True(process.ExitCode == 0, await errors);
        return (await output).Split('\n');
    }
}
