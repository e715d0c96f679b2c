using ActorChat.Bench.Load;
using ActorChat.Bench.Servers;

namespace ActorChat.Bench.Scenarios;

/// <summary>
/// Send latency (request to ok, one at a time) and bytes written to disk per send in a room with 100 messages of
/// history and in one with <c>--depth</c> (default 100,000): a send must cost the same however long the history,
/// and what it writes must follow the message's size (<c>--message-size</c>), not the room's.
/// </summary>
internal static class HistoryDepthScenario
{
    public static async Task RunAsync(ServerUnderTest server, BenchOptions options, int run, List<Result> results, CancellationToken cancellationToken)
    {
        if (!server.SpeaksActorChat)
        {
            Console.Error.WriteLine($"  history-depth: {server.Kind} keeps no history; skipped");
            return;
        }

        await using var progress = new Progress($"depth {server.Kind}");
        await using var writer = await server.ConnectAsync($"depth-writer{run}", cancellationToken);
        LatencySummary? shallow = null;

        // Warm the send path first (JIT, pools, storage) so the first depth measured is not the cold one.
        var warm = $"depth-warm-{run}-{Guid.NewGuid():N}"[..24];
        await writer.JoinAsync(warm);
        await FillAsync(writer, warm, Math.Min(options.Samples, 1000), options.MessageSize, progress, cancellationToken);
        for (var i = 0; i < Math.Min(options.Samples, 500); i++)
        {
            await writer.SendAsync(warm, Clock.Stamp(options.MessageSize));
        }

        foreach (var depth in new[] { 100, options.Depth })
        {
            var room = $"depth-{depth}-{run}-{Guid.NewGuid():N}"[..24];
            await writer.JoinAsync(room);
            await FillAsync(writer, room, depth, options.MessageSize, progress, cancellationToken);

            var recorder = new LatencyRecorder(options.Samples);
            server.SettleDisk();
            var diskBefore = server.DiskWriteBytes();
            for (var i = 0; i < options.Samples; i++)
            {
                var start = Clock.Now;
                await writer.SendAsync(room, Clock.Stamp(options.MessageSize));
                recorder.Record(Clock.MicrosecondsSince(start));
                progress.SentOne();
            }

            var written = server.DiskWriteBytes() - diskBefore;
            var latency = recorder.Summarize();
            results.Add(new Result("history-depth", server.Kind, run, $"disk written per send at depth {depth}", written / 1024.0 / options.Samples, "KiB"));
            results.Add(new Result("history-depth", server.Kind, run, $"disk written per send / message size at depth {depth}", written / (double)options.Samples / options.MessageSize, "ratio"));
            results.Add(new Result("history-depth", server.Kind, run, $"send p50 at depth {depth}", latency.P50Ms, "ms"));
            results.Add(new Result("history-depth", server.Kind, run, $"send p99 at depth {depth}", latency.P99Ms, "ms"));
            results.Add(new Result("history-depth", server.Kind, run, $"send mean at depth {depth}", latency.MeanMs, "ms"));
            if (shallow is null)
            {
                shallow = latency;
            }
            else
            {
                results.Add(new Result("history-depth", server.Kind, run, $"mean at {depth} / mean at 100", latency.MeanMs / shallow.MeanMs, "ratio"));
            }
        }
    }

    private static Task FillAsync(IChatDriver writer, string room, int count, int size, Progress progress, CancellationToken cancellationToken) =>
        Connections.SendWindowedAsync(_ => writer.SendAsync(room, Clock.Stamp(size)), count, progress, cancellationToken);
}
