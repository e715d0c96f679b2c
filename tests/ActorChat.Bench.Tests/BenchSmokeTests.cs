using System.Diagnostics;
using System.Text.Json;

namespace ActorChat.Bench.Tests;

/// <summary>
/// Runs every benchmark scenario once at a tiny size against every server, so the tool keeps working. No timing is
/// asserted: only that each run finishes and reports its metrics.
/// </summary>
public sealed class BenchSmokeTests
{
    public static TheoryData<string, string, string[]> Scenarios => new()
    {
        { "fanout", "actorchat,signalr,raw", ["--subscribers", "5", "--publishers", "2", "--step-seconds", "0.3", "--warmup-seconds", "0.5"] },
        { "fanout", "actorchat-cluster", ["--subscribers", "5", "--publishers", "2", "--step-seconds", "0.3", "--warmup-seconds", "0.5"] },
        { "fanout", "actorchat,raw", ["--subscribers", "5", "--publishers", "2", "--step-seconds", "0.3", "--stalled", "1", "--warmup-seconds", "0.5"] },
        { "rooms", "actorchat,signalr,raw", ["--rooms", "3", "--members", "2", "--rate", "5", "--seconds", "1", "--warmup-seconds", "0.5"] },
        { "idle", "actorchat,signalr,raw", ["--sockets", "20"] },
        { "idle", "actorchat,raw", ["--sockets", "20", "--idle-rooms", "1", "--pin", "0:1"] },
        { "soak", "actorchat", ["--clients", "4", "--rate", "10", "--seconds", "3", "--rooms", "2"] },
        { "poll-vs-push", "actorchat", ["--clients", "5", "--rate", "5", "--seconds", "1.5", "--warmup-seconds", "0.5"] },
        { "history-depth", "actorchat", ["--depth", "300", "--samples", "20"] },
        { "member-depth", "actorchat", ["--depth", "300", "--samples", "10"] },
        { "user-rooms", "actorchat", ["--rooms", "20", "--backlog", "5", "--samples", "5"] },
        { "erase", "actorchat", ["--rooms", "5", "--depth", "200", "--samples", "50"] },
        { "frame-bytes", "actorchat", ["--samples", "5"] },
        { "stalled-reader", "actorchat", ["--sockets", "1"] },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task The_scenario_runs_at_a_tiny_size_and_reports_every_server(string scenario, string servers, string[] size)
    {
        var json = Path.Combine(Path.GetTempPath(), $"bench-{scenario}-{Guid.NewGuid():N}.json");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { BenchAssembly(), scenario, "--servers", servers, "--json", json, "--max-seconds", "120" }.Concat(size))
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stderr}");
        Assert.Contains("metric", await stdout);
        await using var file = File.OpenRead(json);
        using var results = await JsonDocument.ParseAsync(file);
        var reported = results.RootElement.EnumerateArray().Select(r => r.GetProperty("Server").GetString()!).Distinct().ToList();
        Assert.Equal(servers.Split(',').Length, reported.Count);
        Assert.All(servers.Split(','), server => Assert.Contains(reported, r => r == server || r.StartsWith($"{server} +", StringComparison.Ordinal)));
        Assert.DoesNotContain(results.RootElement.EnumerateArray(), r => r.GetProperty("Metric").GetString() == "failed");
        if (scenario == "frame-bytes")
        {
            // Chinese text travels as UTF-8 (3 bytes a character), not as \uXXXX escapes (6).
            var chinese = results.RootElement.EnumerateArray().Single(r => r.GetProperty("Metric").GetString() == "bytes per chinese character");
            Assert.InRange(chinese.GetProperty("Value").GetDouble(), 2.9, 3.1);
        }

        if (scenario == "poll-vs-push")
        {
            // Each way of following the room (socket, event stream, polling) delivered messages.
            foreach (var mode in new[] { "push", "sse", "poll" })
            {
                var deliveries = results.RootElement.EnumerateArray().Single(r => r.GetProperty("Metric").GetString() == $"{mode}: deliveries");
                Assert.True(deliveries.GetProperty("Value").GetDouble() > 0, $"{mode} delivered nothing");
            }
        }
        if (scenario == "idle")
        {
            // ActorChat's sockets are also measured by what they keep alive, after a full collection.
            Assert.Contains(results.RootElement.EnumerateArray(), r => r.GetProperty("Server").GetString() == "actorchat"
                && r.GetProperty("Metric").GetString()!.StartsWith("live heap per idle socket", StringComparison.Ordinal));
        }

        if (scenario == "soak")
        {
            // Every churn cycle went through (connect, join with since, send, read, leave), and memory was sampled.
            var rows = results.RootElement.EnumerateArray().ToList();
            Assert.Equal(0, rows.Single(r => r.GetProperty("Metric").GetString() == "failed cycles").GetProperty("Value").GetDouble());
            Assert.True(rows.Single(r => r.GetProperty("Metric").GetString() == "churn cycles").GetProperty("Value").GetDouble() > 0);
            Assert.Contains(rows, r => r.GetProperty("Metric").GetString()!.StartsWith("managed heap at", StringComparison.Ordinal) && r.GetProperty("Value").GetDouble() > 0);
            Assert.Contains(rows, r => r.GetProperty("Metric").GetString()!.StartsWith("live heap at", StringComparison.Ordinal) && r.GetProperty("Value").GetDouble() > 0);
        }

        if (scenario == "member-depth")
        {
            // The rooms were filled through the server API: the first measured join made the room's depth + 1th member.
            var rows = results.RootElement.EnumerateArray().ToList();
            foreach (var depth in new[] { 100, 300 })
            {
                Assert.Equal(depth + 1, rows.Single(r => r.GetProperty("Metric").GetString() == $"members when measured, room of {depth}").GetProperty("Value").GetDouble());
            }
        }

        File.Delete(json);
    }

    private static string BenchAssembly()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = here.Parent!.Name;
        var root = here;
        while (!File.Exists(Path.Combine(root!.FullName, "ActorChat.sln")))
        {
            root = root.Parent;
        }

        return Path.Combine(root.FullName, "bench", "ActorChat.Bench", "bin", configuration, "net10.0", "ActorChat.Bench.dll");
    }
}
