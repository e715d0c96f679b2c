using ActorChat.Bench.Servers;

namespace ActorChat.Bench.Scenarios;

/// <summary>
/// K idle sockets, each joined to one of <c>--idle-rooms</c> rooms (100; 1 puts them all in one room): server resident
/// memory per socket, and connections opened per second; for ActorChat also its live heap per socket.
/// </summary>
internal static class IdleScenario
{
    public static async Task RunAsync(ServerUnderTest server, BenchOptions options, int run, List<Result> results, CancellationToken cancellationToken)
    {
        await using var progress = new Progress($"idle {server.Kind}");

        // With --tokens ahead the users are signed in before anything is measured, as if by an identity provider.
        if (options.Tokens == "ahead")
        {
            await server.PrepareTokensAsync(Enumerable.Range(0, options.Sockets).Select(i => $"idle{run}-{i}"), cancellationToken);
        }

        // Warm the server's code paths first so that memory measured is per socket, not first-use.
        var warm = await Connections.OpenAsync(server, 50, $"warm{run}-", i => $"idle{run}-{i % options.IdleRooms}", progress, cancellationToken);
        await Connections.CloseAsync(warm);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var before = server.ResidentBytes();
        // ActorChat's own metrics say when a collection ran; the baselines have none (nor has a server driven with
        // --url, which the tool cannot reach in), so only resident memory for them.
        var collected = server.SpeaksActorChat && server.Measured is not null;
        var liveBefore = collected ? await server.LiveHeapBytesAsync(cancellationToken) : 0;
        var collectedBefore = collected ? server.ResidentBytes() : 0;

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
            if (collected)
            {
                // What the sockets keep alive, apart from garbage and free space the resident figure also counts.
                var live = await server.LiveHeapBytesAsync(cancellationToken);
                results.Add(new Result("idle", server.Kind, run, $"live heap per idle socket, {rooms}", (live - liveBefore) / 1024.0 / options.Sockets, "KiB"));
                results.Add(new Result("idle", server.Kind, run, $"resident memory per idle socket after a full collection, {rooms}", (server.ResidentBytes() - collectedBefore) / 1024.0 / options.Sockets, "KiB"));
            }
        }
        finally
        {
            await Connections.CloseAsync(clients);
        }
    }
}
