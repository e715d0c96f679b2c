using System.Globalization;
using ActorChat.Bench.Load;
using ActorChat.Bench.Servers;

namespace ActorChat.Bench.Scenarios;

/// <summary>
/// What a join, a send, a <c>members</c> page and a leave cost in a room of 100 members and in one of <c>--depth</c>
/// (default 100,000): the same, whatever the room's size. The rooms are filled through the server API, as a backend
/// adds members, so the depth is not bounded by the sockets one process may hold; what is measured is a socket
/// user's requests, one at a time (<c>--samples</c> of each), with the disk written per join, send and leave and the
/// server's memory once the room is full.
/// </summary>
internal static class MemberDepthScenario
{
    private const int FillWindow = 64;
    private const int PageSize = 50;

    public static async Task RunAsync(ServerUnderTest server, BenchOptions options, int run, List<Result> results, CancellationToken cancellationToken)
    {
        if (!server.SpeaksActorChat)
        {
            Console.Error.WriteLine($"  member-depth: {server.Kind} keeps no members; skipped");
            return;
        }

        await using var progress = new Progress($"members {server.Kind}");
        await using var writer = (SocketDriver)await server.ConnectAsync($"md-writer{run}", cancellationToken);
        var shallow = new Dictionary<string, LatencySummary>(StringComparer.Ordinal);

        // A small room first, unreported, so that the first depth measured does not pay for cold code.
        await MeasureAsync(server, writer, options, run, depth: 100, label: "warm", progress, cancellationToken);
        foreach (var depth in new[] { 100, options.Depth }.Distinct())
        {
            var measured = await MeasureAsync(server, writer, options, run, depth, label: depth.ToString(CultureInfo.InvariantCulture), progress, cancellationToken);
            void Add(string metric, double value, string unit) => results.Add(new Result("member-depth", server.Kind, run, metric, value, unit));
            Add($"members when measured, room of {depth}", measured.Members, "members");
            Add($"fill through the server API, room of {depth}", (depth - 1) / measured.FillSeconds, "joins/s");
            foreach (var (what, mebibytes) in measured.Memory)
            {
                Add($"{what}, room of {depth}", mebibytes, "MiB");
            }
            foreach (var (operation, latency) in measured.Latencies)
            {
                Add($"{operation} p50 at {depth}", latency.P50Ms, "ms");
                Add($"{operation} p99 at {depth}", latency.P99Ms, "ms");
                Add($"{operation} mean at {depth}", latency.MeanMs, "ms");
                if (shallow.TryGetValue(operation, out var small))
                {
                    Add($"{operation} mean at {depth} / mean at 100", latency.MeanMs / small.MeanMs, "ratio");
                }
                else
                {
                    shallow[operation] = latency;
                }
            }

            foreach (var (operation, bytes) in measured.DiskBytes)
            {
                Add($"disk written per {operation} at {depth}", bytes / 1024.0 / options.Samples, "KiB");
            }
        }
    }

    private static async Task<Measured> MeasureAsync(ServerUnderTest server, SocketDriver writer, BenchOptions options, int run, int depth, string label,
        Progress progress, CancellationToken cancellationToken)
    {
        var room = $"md{run}-{label}-{Guid.NewGuid():N}"[..24];
        await writer.JoinAsync(room);

        // The writer is a member; the fill adds depth - 1 more.
        var fillUsers = Enumerable.Range(1, depth - 1).Select(i => $"md{run}-{label}-{i:D7}").ToList();
        var fill = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(fillUsers, new ParallelOptions { MaxDegreeOfParallelism = FillWindow, CancellationToken = cancellationToken }, async (user, token) =>
        {
            await server.ServerApiAsync(HttpMethod.Put, $"rooms/{room}/members/{user}", token);
            progress.SentOne();
        });
        var fillSeconds = Math.Max(fill.Elapsed.TotalSeconds, 1e-3);
        var latencies = new List<(string, LatencySummary)>();
        var disk = new List<(string, long)>();
        var memory = new List<(string, double)>();
        await MemoryAsync(server, memory, "with the room full", cancellationToken);

        // Pages first, while the room holds exactly its depth: full pages from all over it, not only its start, after
        // a member picked at random among those with a page's worth after them (ids sort in fill order).
        var random = new Random(depth);
        var pages = await TimedAsync(server, options.Samples, async _ =>
        {
            var after = fillUsers.Count <= PageSize ? null : fillUsers[random.Next(fillUsers.Count - PageSize)];
            var reply = await writer.CallAsync(new() { ["type"] = "members", ["room"] = room, ["after"] = after, ["limit"] = PageSize });
            if (reply.GetProperty("members").GetArrayLength() == 0)
            {
                throw new InvalidOperationException($"An empty members page after {after}.");
            }
        });
        latencies.Add(("members page", pages.Latency));
        await MemoryAsync(server, memory, "after the members pages", cancellationToken);

        // Members who join and leave while measured: connected first, so that a join is only the join.
        var probes = new List<SocketDriver>(options.Samples);
        try
        {
            for (var i = 0; i < options.Samples; i++)
            {
                probes.Add((SocketDriver)await server.ConnectAsync($"md{run}-{label}-probe{i}", cancellationToken));
                progress.Connected();
            }

            var members = 0;
            var joins = await TimedAsync(server, options.Samples, async i =>
            {
                var reply = await probes[i].CallAsync(new() { ["type"] = "join", ["room"] = room });
                if (i == 0)
                {
                    members = reply.GetProperty("memberCount").GetInt32();
                }
            });
            latencies.Add(("join", joins.Latency));
            disk.Add(("join", joins.DiskBytes));

            var sends = await TimedAsync(server, options.Samples, _ => writer.SendAsync(room, Clock.Stamp(options.MessageSize)));
            latencies.Add(("send", sends.Latency));
            disk.Add(("send", sends.DiskBytes));

            var leaves = await TimedAsync(server, options.Samples, i => probes[i].CallAsync(new() { ["type"] = "leave", ["room"] = room }));
            latencies.Add(("leave", leaves.Latency));
            disk.Add(("leave", leaves.DiskBytes));
            return new Measured(members, fillSeconds, memory, latencies, disk);
        }
        finally
        {
            foreach (var probe in probes)
            {
                await probe.DisposeAsync();
            }
        }
    }

    // The server's memory now: resident, and the live heap after a full collection (not for a server given by --url).
    private static async Task MemoryAsync(ServerUnderTest server, List<(string, double)> memory, string when, CancellationToken cancellationToken)
    {
        if (server.Measured is null)
        {
            return;
        }

        memory.Add(($"resident memory {when}", server.ResidentBytes() / 1024.0 / 1024.0));
        memory.Add(($"live heap {when}", await server.LiveHeapBytesAsync(cancellationToken) / 1024.0 / 1024.0));
    }

    private static async Task<(LatencySummary Latency, long DiskBytes)> TimedAsync(ServerUnderTest server, int count, Func<int, Task> operation)
    {
        var recorder = new LatencyRecorder(count);
        server.SettleDisk();
        var before = server.DiskWriteBytes();
        for (var i = 0; i < count; i++)
        {
            var start = Clock.Now;
            await operation(i);
            recorder.Record(Clock.MicrosecondsSince(start));
        }

        return (recorder.Summarize(), server.DiskWriteBytes() - before);
    }

    private sealed record Measured(int Members, double FillSeconds, List<(string, double)> Memory, List<(string, LatencySummary)> Latencies, List<(string, long)> DiskBytes);
}
