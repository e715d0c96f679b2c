using ActorChat.Bench.Servers;

namespace ActorChat.Bench.Scenarios;

/// <summary>
/// K idle sockets, each joined to one of <c>--idle-rooms</c> rooms (100; 1 puts them all in one room): server resident
/// memory per socket, and connections opened per second.
/// </summary>
internal static class IdleScenario
{
    public static async Task RunAsync(ServerUnderTest server, BenchOptions options, int run, List<Result> results, CancellationToken cancellationToken)
    {
        await using var progress = new Progress($"idle {server.Kind}");

        // Warm the server's code paths first so that memory measured is per socket, not first-use.
        var warm = await Connections.OpenAsync(server, 50, $"warm{run}-", i => $"idle{run}-{i % options.IdleRooms}", progress, cancellationToken);
        await Connections.CloseAsync(warm);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var before = server.ResidentBytes();

        var start = Load.Clock.Now;
        var clients = await Connections.OpenAsync(server, options.Sockets, $"idle{run}-", i => $"idle{run}-{i % options.IdleRooms}", progress, cancellationToken, parallel: 128);
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            var after = server.ResidentBytes();
            var rooms = options.IdleRooms == 1 ? "one room" : $"{options.IdleRooms} rooms";
            results.Add(new Result("idle", server.Kind, run, $"connections opened, {rooms} (incl. join)", options.Sockets / seconds, "conn/s"));
            results.Add(new Result("idle", server.Kind, run, "resident memory before", before / 1048576.0, "MiB"));
            results.Add(new Result("idle", server.Kind, run, "resident memory with sockets", after / 1048576.0, "MiB"));
            results.Add(new Result("idle", server.Kind, run, $"memory per idle socket, {rooms}", (after - before) / 1024.0 / options.Sockets, "KiB"));
        }
        finally
        {
            await Connections.CloseAsync(clients);
        }
    }
}
