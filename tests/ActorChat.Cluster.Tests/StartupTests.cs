using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ActorChat.Cluster.Tests;

/// <summary>A server that cannot start says why in one line and exits with 1, not with an abort and a stack trace.</summary>
public sealed class StartupTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("actorchat-startup-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task A_front_end_with_a_setting_out_of_range_exits_with_1_naming_the_setting()
    {
        var (exitCode, error) = await RunAsync("api/ActorChat.Api", "ActorChat.Api.dll", "--urls", $"http://127.0.0.1:{FreePorts.Next()}", "--ActorChat:Sockets:MaxMessageBytes", "5");
        Assert.Equal(1, exitCode);
        Assert.Contains("ActorChat.Api: cannot start: MaxMessageBytes:", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_front_end_whose_port_is_taken_exits_with_1_saying_so()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var (exitCode, error) = await RunAsync("api/ActorChat.Api", "ActorChat.Api.dll", "--urls", $"http://127.0.0.1:{port}");
        Assert.Equal(1, exitCode);
        Assert.Contains($"ActorChat.Api: cannot start: Failed to bind to address http://127.0.0.1:{port}: address already in use.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_front_end_with_the_manifests_old_placeholder_key_exits_with_1_saying_why()
    {
        var (exitCode, error) = await RunAsync("api/ActorChat.Api", "ActorChat.Api.dll", "--urls", $"http://127.0.0.1:{FreePorts.Next()}",
            "--ActorChat:Auth:SigningKey", "change-me-to-at-least-32-bytes-of-random");
        Assert.Equal(1, exitCode);
        Assert.Contains("ActorChat.Api: cannot start: ActorChat:Auth:SigningKey looks like a placeholder", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_front_end_with_a_repetitive_key_exits_with_1_saying_why()
    {
        var (exitCode, error) = await RunAsync("api/ActorChat.Api", "ActorChat.Api.dll", "--urls", $"http://127.0.0.1:{FreePorts.Next()}",
            "--ActorChat:Auth:SigningKey", new string('k', 48));
        Assert.Equal(1, exitCode);
        Assert.Contains("ActorChat.Api: cannot start: ActorChat:Auth:SigningKey is too predictable", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_with_a_management_url_on_port_0_exits_with_1_saying_why()
    {
        var (exitCode, error) = await RunAsync("silo/ActorChat.Silo", "ActorChat.Silo.dll", "--urls", $"http://127.0.0.1:{FreePorts.Next()}",
            "--ActorChat:Management:Urls", "http://127.0.0.1:0");
        Assert.Equal(1, exitCode);
        Assert.Contains("ActorChat.Silo: cannot start: ActorChat:Management:Urls: 'http://127.0.0.1:0' needs a fixed port", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_whose_tls_certificate_file_is_missing_exits_with_1_naming_the_file()
    {
        var missing = Path.Combine(_data, "silo.pfx");
        var (exitCode, error) = await RunAsync("silo/ActorChat.Silo", "ActorChat.Silo.dll", "--urls", $"http://127.0.0.1:{FreePorts.Next()}",
            "--ActorChat:Cluster:Tls:CertificatePath", missing);
        Assert.Equal(1, exitCode);
        Assert.Contains($"ActorChat.Silo: cannot start: ActorChat:Cluster:Tls:CertificatePath: no file at {missing}.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_with_a_setting_out_of_range_exits_with_1_naming_the_setting()
    {
        var (exitCode, error) = await RunAsync("silo/ActorChat.Silo", "ActorChat.Silo.dll", "--urls", $"http://127.0.0.1:{FreePorts.Next()}", "--ActorChat:Rooms:RecentMessages", "-1");
        Assert.Equal(1, exitCode);
        Assert.Contains("ActorChat.Silo: cannot start: RecentMessages:", error, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Error)> RunAsync(string project, string assembly, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _data };
        info.ArgumentList.Add(Path.Combine(LocalCluster.BuildOutput(project), assembly));
        foreach (var arg in args.Concat(["--ActorChat:Storage:DataDirectory", _data, "--ActorChat:Cluster:SiloPort", FreePorts.Next().ToString(CultureInfo.InvariantCulture),
                     "--ActorChat:Cluster:GatewayPort", "0"]))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await output;
        return (process.ExitCode, await error);
    }
}
