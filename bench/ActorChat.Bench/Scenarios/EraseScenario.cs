using ActorChat.Bench.Load;
using ActorChat.Bench.Servers;

namespace ActorChat.Bench.Scenarios;

/// <summary>
/// Erasing a user (<c>DELETE /api/server/users/{user}</c>) on a store that holds <c>--depth</c> (100,000) messages of
/// others in <c>--rooms</c> (give at most 256, the rooms one connection may follow) rooms, the user having sent <c>--samples</c> (2,000) of them with a mention of
/// someone in each: how long the erase takes, and the slowest of the sends another user makes meanwhile, one at a
/// time (every store write waits for the erase's, so a long erase stalls the node's writes).
/// </summary>
internal static class EraseScenario
{
    public static async Task RunAsync(ServerUnderTest server, BenchOptions options, int run, List<Result> results, CancellationToken cancellationToken)
    {
        if (!server.SpeaksActorChat)
        {
            Console.Error.WriteLine($"  erase: {server.Kind} keeps no history; skipped");
            return;
        }

        await using var progress = new Progress($"erase {server.Kind}");
        var rooms = Enumerable.Range(0, options.Rooms).Select(i => $"er{run}-{i}").ToList();
        var user = $"er{run}-victim";
        await using var others = await server.ConnectAsync($"er{run}-others", cancellationToken);
        await using var victim = (SocketDriver)await server.ConnectAsync(user, cancellationToken);
        foreach (var room in rooms)
        {
            // Made by the backend: a user may create only so many rooms an hour.
            await server.ServerApiAsync(HttpMethod.Post, "rooms", new { room, owner = $"er{run}-others" }, cancellationToken);
            await others.JoinAsync(room);
            await victim.JoinAsync(room);
        }

        await Connections.SendWindowedAsync(i => others.SendAsync(rooms[i % rooms.Count], Clock.Stamp(options.MessageSize)), options.Depth, progress, cancellationToken);
        await Connections.SendWindowedAsync(i => victim.CallAsync(new() { ["type"] = "send", ["room"] = rooms[i % rooms.Count], ["text"] = Clock.Stamp(options.MessageSize), ["mentions"] = new[] { $"er{run}-others" } }),
            options.Samples, progress, cancellationToken);

        await using var sender = await server.ConnectAsync($"er{run}-sender", cancellationToken);
        await sender.JoinAsync(rooms[0]);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sends = new LatencyRecorder(1_000_000);
        var sending = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var start = Clock.Now;
                await sender.SendAsync(rooms[0], Clock.Stamp(options.MessageSize));
                sends.Record(Clock.MicrosecondsSince(start));
            }
        }, CancellationToken.None);

        // A few sends before the erase, so the sender is measured from before it starts.
        while (sends.Count < 20)
        {
            await Task.Delay(10, cancellationToken);
        }

        var erase = System.Diagnostics.Stopwatch.StartNew();
        await server.ServerApiAsync(HttpMethod.Delete, $"users/{user}", cancellationToken);
        var erased = erase.Elapsed.TotalMilliseconds;
        await stop.CancelAsync();
        await sending;
        var latency = sends.Summarize();
        results.Add(new Result("erase", server.Kind, run, $"erase a user of {options.Samples} messages among {options.Depth + options.Samples}", erased, "ms"));
        results.Add(new Result("erase", server.Kind, run, "slowest send meanwhile", latency.MaxMs, "ms"));
        results.Add(new Result("erase", server.Kind, run, "sends meanwhile, p50", latency.P50Ms, "ms"));
    }
}
