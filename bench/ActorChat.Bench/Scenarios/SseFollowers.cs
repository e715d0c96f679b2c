using System.Net.Http.Headers;
using System.Text.Json;
using ActorChat.Bench.Load;

namespace ActorChat.Bench.Scenarios;

/// <summary>One <c>text/event-stream</c> per client on a room, read line by line, each measured message's latency recorded.</summary>
internal static class SseFollowers
{
    /// <summary>
    /// Opens every stream, publishes for <paramref name="warmUp"/> unmeasured (the server's event-stream path is
    /// compiled and tiered up by then), then publishes for <paramref name="measure"/> and returns what that cost.
    /// </summary>
    public static async Task<(int WarmSent, int Sent, double CpuSeconds)> RunAsync(
        HttpClient http,
        IReadOnlyList<string> tokens,
        string room,
        LatencyRecorder latency,
        Progress progress,
        Func<TimeSpan, Task<int>> publishFor,
        TimeSpan warmUp,
        TimeSpan measure,
        Func<double> cpuSeconds,
        CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ready = 0;
        var warmed = 0L;
        var measuring = 0;
        var allReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnReady()
        {
            if (Interlocked.Increment(ref ready) == tokens.Count)
            {
                allReady.TrySetResult();
            }
        }

        void OnMessage(long stamp)
        {
            if (Volatile.Read(ref measuring) == 0)
            {
                Interlocked.Increment(ref warmed);
                return;
            }

            latency.Record(Clock.MicrosecondsSince(stamp));
            progress.ReceivedOne();
        }

        var followers = tokens.Select(token => Task.Run(() => FollowAsync(http, token, room, OnReady, OnMessage, stop.Token), stop.Token)).ToList();
        await allReady.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);

        var warmSent = await publishFor(warmUp);
        await Publisher.DrainAsync(() => Interlocked.Read(ref warmed), (long)warmSent * tokens.Count, TimeSpan.FromSeconds(2), cancellationToken);
        Volatile.Write(ref measuring, 1);

        var cpu = cpuSeconds();
        var sent = await publishFor(measure);
        await Publisher.DrainAsync(() => latency.Count, (long)sent * tokens.Count, TimeSpan.FromSeconds(2), cancellationToken);
        var used = cpuSeconds() - cpu;
        await stop.CancelAsync();
        try
        {
            await Task.WhenAll(followers);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
        {
        }

        return (warmSent, sent, used);
    }

    private static async Task FollowAsync(HttpClient http, string token, string room, Action onReady, Action<long> onMessage, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/rooms/{room}/events");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var isMessage = false;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                isMessage = line == "event: message";
                if (line == "event: ready")
                {
                    onReady();
                }
            }
            else if (isMessage && line.StartsWith("data: ", StringComparison.Ordinal))
            {
                using var frame = JsonDocument.Parse(line.AsMemory(6));
                onMessage(Clock.ReadStamp(frame.RootElement.GetProperty("text").GetString()));
            }
        }
    }
}
