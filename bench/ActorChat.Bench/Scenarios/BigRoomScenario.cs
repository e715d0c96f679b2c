using System.Diagnostics;
using ActorChat.Bench.Load;
using ActorChat.Bench.Servers;

namespace ActorChat.Bench.Scenarios;

/// <summary>
/// <c>--sockets</c> (10,000) sockets join one room while it is live (a publisher sends 2 msg/s to it throughout):
/// sockets joined per second over the fill, and for the first and the last 10% of the fill the join latency
/// (p50/p99, join request to ok) and the bytes written to disk per join. A join must cost the same in a room of
/// 10 as in one of 10,000. Then the server's resident memory per joined socket.
/// </summary>
internal static class BigRoomScenario
{
    public static async Task RunAsync(ServerUnderTest server, BenchOptions options, int run, List<Result> results, CancellationToken cancellationToken)
    {
        await using var progress = new Progress($"big-room {server.Kind}");
        var room = $"big-{run}-{Guid.NewGuid():N}"[..20];
        var count = options.Sockets;
        var tenth = Math.Max(1, count / 10);

        // Warm the connect and join paths (JIT, pools, the store) first, in another room.
        var warm = await Connections.OpenAsync(server, 100, $"bigwarm{run}-", _ => $"{room}-warm", progress, cancellationToken);
        await Connections.CloseAsync(warm);

        await using var publisher = await server.ConnectAsync($"bigpub{run}", cancellationToken);
        await publisher.JoinAsync(room);
        using var stopPublishing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var live = PublishAsync(publisher, room, options.MessageSize, progress, stopPublishing.Token);

        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var memoryBefore = server.ResidentBytes();
        var first = new LatencyRecorder(tenth);
        var last = new LatencyRecorder(tenth);
        var clients = new IChatDriver[count];
        var joined = 0;

        // Disk writes against joins so far, every 50 ms: the first and last tenth of the fill are read off it.
        server.SettleDisk();
        var samples = new List<(int Joined, long Bytes)> { (0, server.DiskWriteBytes()) };
        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampling = SampleAsync(server, samples, () => Volatile.Read(ref joined), stopSampling.Token);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                var client = await server.ConnectAsync($"big{run}-{i}", ct);
                var start = Clock.Now;
                await client.JoinAsync(room);
                var latency = Clock.MicrosecondsSince(start);
                clients[i] = client;
                progress.Connected();

                // Buckets by completion order: the first tenth joined a small room, the last a full one.
                var done = Interlocked.Increment(ref joined);
                if (done <= tenth)
                {
                    first.Record(latency);
                }
                else if (done > count - tenth)
                {
                    last.Record(latency);
                }
            });
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            await stopSampling.CancelAsync();
            await sampling;
            samples.Add((count, server.DiskWriteBytes()));
            await stopPublishing.CancelAsync();
            await live;
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            var memoryAfter = server.ResidentBytes();

            var (early, late) = (first.Summarize(), last.Summarize());
            results.Add(new Result("big-room", server.Kind, run, "sockets joined per second", count / seconds, "join/s"));
            results.Add(new Result("big-room", server.Kind, run, "join p50, first 10%", early.P50Ms, "ms"));
            results.Add(new Result("big-room", server.Kind, run, "join p50, last 10%", late.P50Ms, "ms"));
            results.Add(new Result("big-room", server.Kind, run, "join p99, first 10%", early.P99Ms, "ms"));
            results.Add(new Result("big-room", server.Kind, run, "join p99, last 10%", late.P99Ms, "ms"));
            results.Add(new Result("big-room", server.Kind, run, "disk written per join, first 10%", PerJoin(samples, 0, tenth) / 1024.0, "KiB"));
            results.Add(new Result("big-room", server.Kind, run, "disk written per join, last 10%", PerJoin(samples, count - tenth, count) / 1024.0, "KiB"));
            // Some of a join is written once for many (PostgreSQL zero-fills each new WAL segment of a young cluster): the whole fill
            // averages that in. What a database writes after the fill (PostgreSQL its data pages, at a checkpoint) is in no figure.
            results.Add(new Result("big-room", server.Kind, run, "disk written per join, whole fill", PerJoin(samples, 0, count) / 1024.0, "KiB"));
            results.Add(new Result("big-room", server.Kind, run, "memory per joined socket", (memoryAfter - memoryBefore) / 1024.0 / count, "KiB"));
        }
        finally
        {
            await stopPublishing.CancelAsync();
            await live;
            await Connections.CloseAsync(clients);
        }
    }

    /// <summary>Bytes written per join between the samples that bracket joins <paramref name="from"/> to <paramref name="to"/>.</summary>
    private static double PerJoin(List<(int Joined, long Bytes)> samples, int from, int to)
    {
        var start = samples.Last(s => s.Joined <= from);
        var end = samples.First(s => s.Joined >= to);
        return end.Joined == start.Joined ? 0 : (end.Bytes - start.Bytes) / (double)(end.Joined - start.Joined);
    }

    private static async Task SampleAsync(ServerUnderTest server, List<(int Joined, long Bytes)> samples, Func<int> joined, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                samples.Add((joined(), server.DiskWriteBytes()));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // The room is live while it fills: two messages a second, each delivered to everyone joined by then.
    private static async Task PublishAsync(IChatDriver publisher, string room, int size, Progress progress, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await publisher.SendAsync(room, Clock.Stamp(size));
                progress.SentOne();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
