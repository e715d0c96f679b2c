using ActorChat.Bench.Load;
using ActorChat.Bench.Servers;

namespace ActorChat.Bench.Scenarios;

/// <summary>
/// What a user's connect costs against the number of rooms they belong to: a user in one room and one in
/// <c>--rooms</c> rooms (500; the membership quota is 1,000), each room with <c>--backlog</c> (100) messages they have
/// not read. Each of <c>--samples</c> cycles opens a socket, waits for a <c>ping</c>'s answer (a connection serves
/// requests once the user is connected, and online) and closes it, then waits until a member of one of the rooms
/// hears the user go offline; reported: that latency, the server's CPU per cycle (the close and its announcement
/// included), and a <c>rooms</c> request, whose answer does grow with the rooms.
/// The rooms are made and filled through the server API.
/// </summary>
internal static class UserRoomsScenario
{
    private const int Window = 64;

    public static async Task RunAsync(ServerUnderTest server, BenchOptions options, int run, List<Result> results, CancellationToken cancellationToken)
    {
        if (!server.SpeaksActorChat)
        {
            Console.Error.WriteLine($"  user-rooms: {server.Kind} keeps no memberships; skipped");
            return;
        }

        await using var progress = new Progress($"user-rooms {server.Kind}");

        // A few cycles first, unreported, so that the first count measured does not pay for cold code.
        await MeasureAsync(server, options, $"ur{run}-warm", 1, progress, cancellationToken);
        Measured? few = null;
        foreach (var rooms in new[] { 1, options.Rooms }.Distinct())
        {
            var measured = await MeasureAsync(server, options, $"ur{run}-{rooms}", rooms, progress, cancellationToken);
            void Add(string metric, double value, string unit) => results.Add(new Result("user-rooms", server.Kind, run, metric, value, unit));
            Add($"connect to first answer p50, user in {rooms} rooms", measured.Connect.P50Ms, "ms");
            Add($"connect to first answer p99, user in {rooms} rooms", measured.Connect.P99Ms, "ms");
            Add($"connect to first answer mean, user in {rooms} rooms", measured.Connect.MeanMs, "ms");
            Add($"server CPU per connect and close, user in {rooms} rooms", measured.CpuMsPerCycle, "ms");
            Add($"rooms request mean, user in {rooms} rooms", measured.RoomsRequest.MeanMs, "ms");
            if (few is null)
            {
                few = measured;
            }
            else
            {
                Add($"connect mean in {rooms} rooms / in 1", measured.Connect.MeanMs / few.Connect.MeanMs, "ratio");
                Add($"CPU per cycle in {rooms} rooms / in 1", measured.CpuMsPerCycle / few.CpuMsPerCycle, "ratio");
            }
        }
    }

    private static async Task<Measured> MeasureAsync(ServerUnderTest server, BenchOptions options, string user, int rooms, Progress progress, CancellationToken cancellationToken)
    {
        var names = Enumerable.Range(0, rooms).Select(i => $"{user}-r{i}").ToList();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = Window, CancellationToken = cancellationToken }, async (room, token) =>
        {
            await server.ServerApiAsync(HttpMethod.Post, "rooms", new { room, owner = user }, token);
            progress.SentOne();
        });
        var posts = names.SelectMany(room => Enumerable.Repeat(room, options.Backlog));
        await Parallel.ForEachAsync(posts, new ParallelOptions { MaxDegreeOfParallelism = Window, CancellationToken = cancellationToken }, async (room, token) =>
        {
            await server.ServerApiAsync(HttpMethod.Post, $"rooms/{room}/messages", new { text = Clock.Stamp(options.MessageSize), sender = "bench-bot" }, token);
            progress.SentOne();
        });

        // The token once: a connect is the socket's, not a sign-in's. A member of the first room watches the user
        // go offline after each close: the next connect must find the user offline, or it would announce nothing.
        var token = await server.TokenAsync(user);
        await using var observer = (SocketDriver)await server.ConnectAsync($"{user}-observer", cancellationToken);
        await observer.JoinAsync(names[0]);
        var connect = new LatencyRecorder(options.Samples);
        var roomsRequest = new LatencyRecorder(options.Samples);
        var cpuBefore = server.CpuSeconds();
        for (var i = 0; i < options.Samples; i++)
        {
            var offline = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            observer.OnEvent = frame =>
            {
                if (frame.Contains("\"presence\"", StringComparison.Ordinal) && frame.Contains($"\"{user}\"", StringComparison.Ordinal) && frame.Contains("\"offline\"", StringComparison.Ordinal))
                {
                    offline.TrySetResult();
                }
            };
            var start = Clock.Now;
            await using (var socket = await server.ConnectWithTokenAsync(token, cancellationToken))
            {
                await socket.CallAsync(new() { ["type"] = "ping" });
                connect.Record(Clock.MicrosecondsSince(start));
            }

            await offline.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            progress.Connected();
        }

        observer.OnEvent = null;
        var cpuPerCycle = (server.CpuSeconds() - cpuBefore) * 1000 / options.Samples;
        await using (var socket = await server.ConnectWithTokenAsync(token, cancellationToken))
        {
            for (var i = 0; i < options.Samples; i++)
            {
                var start = Clock.Now;
                var reply = await socket.CallAsync(new() { ["type"] = "rooms" });
                roomsRequest.Record(Clock.MicrosecondsSince(start));
                if (reply.GetProperty("rooms").GetArrayLength() != rooms)
                {
                    throw new InvalidOperationException($"{user} is in {reply.GetProperty("rooms").GetArrayLength()} rooms, not {rooms}.");
                }
            }
        }

        return new Measured(connect.Summarize(), cpuPerCycle, roomsRequest.Summarize());
    }

    private sealed record Measured(LatencySummary Connect, double CpuMsPerCycle, LatencySummary RoomsRequest);
}
