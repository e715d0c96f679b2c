using ActorChat.Bench.Load;
using ActorChat.Bench.Servers;

namespace ActorChat.Bench.Scenarios;

/// <summary>Many small rooms (default 500 × 4), every member publishing at <c>--rate</c> msg/s: acknowledged sends/s, deliveries/s, latency.</summary>
internal static class RoomsScenario
{
    public static async Task RunAsync(ServerUnderTest server, BenchOptions options, int run, List<Result> results, CancellationToken cancellationToken)
    {
        await using var progress = new Progress($"rooms {server.Kind}");
        var members = options.Rooms * options.MembersPerRoom;
        var tag = Guid.NewGuid().ToString("N")[..6];
        var clients = await Connections.OpenAsync(server, members, $"room{run}-", i => RoomOf(i, options, tag), progress, cancellationToken);
        var delivery = new LatencyRecorder(20_000_000);
        var sendLatency = new LatencyRecorder(5_000_000);

        // The first --warmup-seconds are sent but not measured: they activate every room's grains, open its
        // storage and let the runtime tier the hot code up. Measured from the first second, p50 swung from 20 to
        // 800 ms between runs of the same build.
        var begin = Clock.Now;
        var measureFrom = begin + (long)(options.WarmupSeconds * System.Diagnostics.Stopwatch.Frequency);
        foreach (var client in clients)
        {
            client.OnMessage = stamp =>
            {
                progress.ReceivedOne();
                if (stamp >= measureFrom)
                {
                    delivery.Record(Clock.MicrosecondsSince(stamp));
                }
            };
        }

        try
        {
            var duration = TimeSpan.FromSeconds(options.WarmupSeconds + options.Seconds);
            var acked = 0L;
            await Parallel.ForAsync(0, members, new ParallelOptions { MaxDegreeOfParallelism = members, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                // Spread the members' first sends over one interval so they do not all fire together.
                var interval = TimeSpan.FromSeconds(1 / options.Rate);
                await Task.Delay(interval * Random.Shared.NextDouble(), ct);
                using var timer = new PeriodicTimer(interval);
                while (System.Diagnostics.Stopwatch.GetElapsedTime(begin) < duration)
                {
                    // The stamp in the text decides, for the send and its deliveries alike, whether it is measured.
                    var text = Clock.Stamp(options.MessageSize);
                    var sent = Clock.ReadStamp(text);
                    await clients[i].SendAsync(RoomOf(i, options, tag), text);
                    if (sent >= measureFrom)
                    {
                        sendLatency.Record(Clock.MicrosecondsSince(sent));
                        Interlocked.Increment(ref acked);
                    }

                    progress.SentOne();
                    await timer.WaitForNextTickAsync(ct);
                }
            });
            var expected = acked * options.MembersPerRoom;
            await Publisher.DrainAsync(() => delivery.Count, expected, TimeSpan.FromSeconds(2), cancellationToken);
            var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(measureFrom).TotalSeconds;
            var sends = sendLatency.Summarize();
            var deliveries = delivery.Summarize();
            results.Add(new Result("rooms", server.Kind, run, "acknowledged sends", acked / seconds, "msg/s"));
            results.Add(new Result("rooms", server.Kind, run, "deliveries", delivery.Count / seconds, "msg/s"));
            results.Add(new Result("rooms", server.Kind, run, "send p50 (request to ok)", sends.P50Ms, "ms"));
            results.Add(new Result("rooms", server.Kind, run, "send p99 (request to ok)", sends.P99Ms, "ms"));
            results.Add(new Result("rooms", server.Kind, run, "delivery p50", deliveries.P50Ms, "ms"));
            results.Add(new Result("rooms", server.Kind, run, "delivery p99", deliveries.P99Ms, "ms"));
        }
        finally
        {
            await Connections.CloseAsync(clients);
        }
    }

    private static string RoomOf(int member, BenchOptions options, string tag) => $"r{tag}-{member % options.Rooms}";
}
