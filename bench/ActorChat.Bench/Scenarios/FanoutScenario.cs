using ActorChat.Bench.Load;
using ActorChat.Bench.Servers;

namespace ActorChat.Bench.Scenarios;

/// <summary>
/// One room of N subscribers and P publishers (default 8, each its own connection) at a rising total rate: the highest rate whose deliveries all arrive
/// with p99 under 100 ms, then p50/p99/p99.9 end-to-end latency at half that rate.
/// </summary>
internal static class FanoutScenario
{
    private static readonly double[] Rates = [5, 10, 25, 50, 100, 150, 200, 300, 400, 600, 800, 1600, 3200, 6400];

    public static async Task RunAsync(ServerUnderTest server, BenchOptions options, int run, List<Result> results, CancellationToken cancellationToken)
    {
        var room = $"fanout-{run}-{Guid.NewGuid():N}"[..20];
        await using var progress = new Progress($"fanout {server.Kind}");
        var step = new StepCounter();
        var subscribers = await Connections.OpenAsync(server, options.Subscribers, $"sub{run}-", _ => room, progress, cancellationToken);
        foreach (var subscriber in subscribers)
        {
            subscriber.OnMessage = stamp =>
            {
                progress.ReceivedOne();
                step.Deliver(stamp);
            };
        }

        var publishers = await Connections.OpenAsync(server, options.Publishers, $"pub{run}-", _ => room, progress, cancellationToken);
        var stalled = new List<System.Net.WebSockets.ClientWebSocket>();
        if (options.Stalled > 0 && server.Kind != "signalr")
        {
            for (var i = 0; i < options.Stalled; i++)
            {
                stalled.Add(await server.StalledAsync($"stalled{run}-{i}", room, cancellationToken));
            }
        }

        var label = stalled.Count > 0 ? $"{server.Kind} +{stalled.Count} stalled" : server.Kind;
        try
        {
            // Warm every code path first; this step is not measured. It must be long: the runtime tiers hot methods
            // up only after a quiet spell in new compilations, and with a 3 s warm-up the first step measured
            // sometimes paid for it (p99 over 100 ms at 10 msg/s, so a best rate of 0 for the same code).
            await StepAsync(publishers, room, Rates[0], TimeSpan.FromSeconds(Math.Max(options.WarmupSeconds, options.StepSeconds)), options, step, progress, cancellationToken);

            double best = 0;
            double bestDelivered = 0;
            foreach (var rate in options.Rates ?? Rates)
            {
                var cpuBefore = server.CpuSeconds();
                var (delivered, latency, complete) = await StepAsync(publishers, room, rate, TimeSpan.FromSeconds(options.StepSeconds), options, step, progress, cancellationToken);
                var cpuPerDelivery = (server.CpuSeconds() - cpuBefore) * 1e6 / Math.Max(1, delivered * options.StepSeconds);
                Console.Error.WriteLine($"  {server.Kind}: {rate} msg/s -> {delivered:0} deliveries/s, p99 {latency.P99Ms:0.0} ms, CPU {cpuPerDelivery:0.0} µs/delivery{(complete ? "" : ", incomplete")}");

                // Per step, so servers compare at the same rate (CPU per delivery, and p99 at another's half rate).
                results.Add(new Result("fanout", label, run, $"p99 at {rate} msg/s", latency.P99Ms, "ms"));
                results.Add(new Result("fanout", label, run, $"CPU per delivery at {rate} msg/s", cpuPerDelivery, "µs"));
                if (!complete || latency.P99Ms >= 100)
                {
                    break;
                }

                best = rate;
                bestDelivered = delivered;
            }

            results.Add(new Result("fanout", label, run, "max publish rate (p99<100ms)", best, "msg/s"));
            results.Add(new Result("fanout", label, run, "max deliveries", bestDelivered, "msg/s"));
            if (best > 0)
            {
                var (delivered, latency, _) = await StepAsync(publishers, room, best / 2, TimeSpan.FromSeconds(options.StepSeconds * 2), options, step, progress, cancellationToken);
                results.Add(new Result("fanout", label, run, "deliveries at half rate", delivered, "msg/s"));
                results.Add(new Result("fanout", label, run, "p50 at half rate", latency.P50Ms, "ms"));
                results.Add(new Result("fanout", label, run, "p99 at half rate", latency.P99Ms, "ms"));
                results.Add(new Result("fanout", label, run, "p99.9 at half rate", latency.P999Ms, "ms"));
            }
        }
        finally
        {
            await Connections.CloseAsync(subscribers);
            await Connections.CloseAsync(publishers);
            foreach (var socket in stalled)
            {
                socket.Abort();
                socket.Dispose();
            }
        }
    }

    private static async Task<(double Delivered, LatencySummary Latency, bool Complete)> StepAsync(
        IChatDriver[] publishers, string room, double rate, TimeSpan duration, BenchOptions options, StepCounter step, Progress progress, CancellationToken cancellationToken)
    {
        var expectedPerMessage = options.Subscribers;
        var recorder = new LatencyRecorder((int)Math.Min(8_000_000, rate * duration.TotalSeconds * expectedPerMessage * 1.1) + 1);
        step.Begin(recorder);
        var start = Clock.Now;
        var sends = await Task.WhenAll(publishers.Select(p => Publisher.RunAsync(p, room, rate / publishers.Length, duration, options.MessageSize, progress, cancellationToken)));
        var sent = sends.Sum();
        long expected = (long)sent * expectedPerMessage;
        await Publisher.DrainAsync(() => step.Count, expected, TimeSpan.FromSeconds(2), cancellationToken);
        var seconds = Math.Max(duration.TotalSeconds, System.Diagnostics.Stopwatch.GetElapsedTime(start, step.LastDelivery).TotalSeconds);
        var count = step.End();
        return (count / seconds, recorder.Summarize(), count >= expected);
    }

    /// <summary>Deliveries of the current step: count, latency and when the last one came.</summary>
    private sealed class StepCounter
    {
        private LatencyRecorder? _recorder;
        private long _count;
        private long _last;

        public long Count => Interlocked.Read(ref _count);

        public long LastDelivery => Interlocked.Read(ref _last);

        public void Begin(LatencyRecorder recorder)
        {
            Interlocked.Exchange(ref _count, 0);
            Interlocked.Exchange(ref _last, Clock.Now);
            Volatile.Write(ref _recorder, recorder);
        }

        public long End()
        {
            Volatile.Write(ref _recorder, null);
            return Interlocked.Read(ref _count);
        }

        public void Deliver(long stamp)
        {
            var recorder = Volatile.Read(ref _recorder);
            if (recorder is null || stamp < 0)
            {
                return;
            }

            recorder.Record(Clock.MicrosecondsSince(stamp));
            Interlocked.Increment(ref _count);
            Interlocked.Exchange(ref _last, Clock.Now);
        }
    }
}
