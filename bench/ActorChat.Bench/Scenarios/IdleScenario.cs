using ActorChat.Bench.Servers;

namespace ActorChat.Bench.Scenarios;

/// <summary>K idle sockets, each joined to a room: server resident memory per socket, and connections opened per second.</summary>
internal static class IdleScenario
{
    public static async Task RunAsync(ServerUnderTest server, BenchOptions options, int run, List<Result> results, CancellationToken cancellationToken)
    {
        await using var progress = new Progress($"idle {server.Kind}");

        // Warm the server's code paths first so that memory measured is per socket, not first-use.
        var warm = await Connections.OpenAsync(server, 50, $"warm{run}-", i => $"idle-{i % 100}", progress, cancellationToken);
        await Connections.CloseAsync(warm);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var before = server.ResidentBytes();

        var start = Load.Clock.Now;
        var clients = await Connections.OpenAsync(server, options.Sockets, $"idle{run}-", i => $"idle-{i % 100}", progress, cancellationToken, parallel: 128);
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            var after = server.ResidentBytes();
            results.Add(new Result("idle", server.Kind, run, "connections opened (incl. join)", options.Sockets / seconds, "conn/s"));
            results.Add(new Result("idle", server.Kind, run, "resident memory before", before / 1048576.0, "MiB"));
            results.Add(new Result("idle", server.Kind, run, "resident memory with sockets", after / 1048576.0, "MiB"));
            results.Add(new Result("idle", server.Kind, run, "memory per idle socket", (after - before) / 1024.0 / options.Sockets, "KiB"));
        }
        finally
        {
            await Connections.CloseAsync(clients);
        }
    }
}
