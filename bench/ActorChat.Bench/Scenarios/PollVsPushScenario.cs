using System.Net.Http.Headers;
using System.Text.Json;
using ActorChat.Bench.Load;
using ActorChat.Bench.Servers;

namespace ActorChat.Bench.Scenarios;

/// <summary>
/// C clients follow a room that gets <c>--rate</c> messages/s: over WebSocket, over Server-Sent Events
/// (<c>GET /api/rooms/{room}/events</c>), and by polling <c>GET /api/rooms/{room}/messages?after=</c> every
/// second. Requests served, server CPU per delivered message, and delivery latency for each.
/// </summary>
internal static class PollVsPushScenario
{
    public static async Task RunAsync(ServerUnderTest server, BenchOptions options, int run, List<Result> results, CancellationToken cancellationToken)
    {
        if (!server.SpeaksActorChat)
        {
            Console.Error.WriteLine($"  poll-vs-push: {server.Kind} has no polling endpoint; skipped");
            return;
        }

        var room = $"pvp-{run}-{Guid.NewGuid():N}"[..20];
        var duration = TimeSpan.FromSeconds(options.Seconds);
        await using var progress = new Progress($"poll/push {server.Kind}");
        await using var publisher = await server.ConnectAsync($"pvp-pub{run}", cancellationToken);
        await publisher.JoinAsync(room);

        // Push: every client holds a socket in the room.
        var push = new LatencyRecorder(10_000_000);
        var clients = await Connections.OpenAsync(server, options.Clients, $"pvp{run}-", _ => room, progress, cancellationToken);

        // Every mode gets the same unmeasured warm-up on its own path first: measured cold, the first mode paid
        // for compiling and tiering up the server's code (push looked 30% dearer than SSE with a 2 s warm-up).
        var warmUp = TimeSpan.FromSeconds(options.WarmupSeconds);
        var warm = 0L;
        foreach (var client in clients)
        {
            client.OnMessage = _ => Interlocked.Increment(ref warm);
        }

        var warmSent = await Publisher.RunAsync(publisher, room, options.Rate, warmUp, options.MessageSize, progress, cancellationToken);
        await Publisher.DrainAsync(() => Interlocked.Read(ref warm), (long)warmSent * options.Clients, TimeSpan.FromSeconds(2), cancellationToken);
        foreach (var client in clients)
        {
            client.OnMessage = stamp =>
            {
                progress.ReceivedOne();
                push.Record(Clock.MicrosecondsSince(stamp));
            };
        }

        var cpu = server.CpuSeconds();
        var sent = await Publisher.RunAsync(publisher, room, options.Rate, duration, options.MessageSize, progress, cancellationToken);
        await Publisher.DrainAsync(() => push.Count, (long)sent * options.Clients, TimeSpan.FromSeconds(2), cancellationToken);
        var pushCpu = server.CpuSeconds() - cpu;
        await Connections.CloseAsync(clients);
        Add(results, server, run, "push", sent / options.Seconds, pushCpu, push);

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Clients + 16, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var tokens = await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(i => server.TokenAsync($"pvp{run}-{i}")));

        // Server-Sent Events: the same users each hold one event stream of the room.
        var streamed = new LatencyRecorder(10_000_000);
        var streamedSent = await SseFollowers.RunAsync(http, tokens, room, streamed, progress,
            length => Publisher.RunAsync(publisher, room, options.Rate, length, options.MessageSize, progress, cancellationToken),
            warmUp, duration, server.CpuSeconds, cancellationToken);
        Add(results, server, run, "sse", streamedSent.Sent / options.Seconds, streamedSent.CpuSeconds, streamed);

        // Poll: the same users (still members) ask every second for what is new.
        var poll = new LatencyRecorder(10_000_000);
        var lastSeq = (long)(warmSent + sent + streamedSent.WarmSent + streamedSent.Sent);
        var requests = 0L;
        var warmReceived = 0L;
        var firstMeasuredSeq = long.MaxValue;
        var measuring = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pollers = Enumerable.Range(0, options.Clients).Select(i => Task.Run(async () =>
        {
            var after = lastSeq;
            await Task.Delay(TimeSpan.FromSeconds(Random.Shared.NextDouble()), stop.Token);
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            do
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/rooms/{room}/messages?after={after}&limit=200");
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[i]);
                var measured = Volatile.Read(ref measuring) == 1;
                using var response = await http.SendAsync(request, timeout.Token);
                if (measured)
                {
                    Interlocked.Increment(ref requests);
                }

                var body = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
                foreach (var message in body.GetProperty("messages").EnumerateArray())
                {
                    after = message.GetProperty("seq").GetInt64();
                    if (after < Interlocked.Read(ref firstMeasuredSeq))
                    {
                        Interlocked.Increment(ref warmReceived);
                        continue;
                    }

                    poll.Record(Clock.MicrosecondsSince(Clock.ReadStamp(message.GetProperty("text").GetString())));
                    progress.ReceivedOne();
                }
            }
            while (await timer.WaitForNextTickAsync(stop.Token));
        }, stop.Token)).ToList();

        var pollWarmSent = await Publisher.RunAsync(publisher, room, options.Rate, warmUp, options.MessageSize, progress, cancellationToken);
        Interlocked.Exchange(ref firstMeasuredSeq, lastSeq + pollWarmSent + 1);
        await Publisher.DrainAsync(() => Interlocked.Read(ref warmReceived), (long)pollWarmSent * options.Clients, TimeSpan.FromSeconds(3), cancellationToken);
        Volatile.Write(ref measuring, 1);

        cpu = server.CpuSeconds();
        var pollStart = Clock.Now;
        var polled = await Publisher.RunAsync(publisher, room, options.Rate, duration, options.MessageSize, progress, cancellationToken);
        await Publisher.DrainAsync(() => poll.Count, (long)polled * options.Clients, TimeSpan.FromSeconds(3), cancellationToken);
        var pollSeconds = System.Diagnostics.Stopwatch.GetElapsedTime(pollStart).TotalSeconds;
        await stop.CancelAsync();
        try
        {
            await Task.WhenAll(pollers);
        }
        catch (OperationCanceledException)
        {
        }

        var pollCpu = server.CpuSeconds() - cpu;
        Add(results, server, run, "poll", Interlocked.Read(ref requests) / pollSeconds, pollCpu, poll);
    }

    private static void Add(List<Result> results, ServerUnderTest server, int run, string mode, double requestsPerSecond, double cpuSeconds, LatencyRecorder latency)
    {
        var summary = latency.Summarize();
        results.Add(new Result("poll-vs-push", server.Kind, run, $"{mode}: requests served", requestsPerSecond, "req/s"));
        results.Add(new Result("poll-vs-push", server.Kind, run, $"{mode}: deliveries", summary.Count, "messages"));
        results.Add(new Result("poll-vs-push", server.Kind, run, $"{mode}: server CPU per delivery", summary.Count == 0 ? 0 : cpuSeconds * 1e6 / summary.Count, "µs"));
        results.Add(new Result("poll-vs-push", server.Kind, run, $"{mode}: mean latency", summary.MeanMs, "ms"));
        results.Add(new Result("poll-vs-push", server.Kind, run, $"{mode}: p99 latency", summary.P99Ms, "ms"));
    }
}
