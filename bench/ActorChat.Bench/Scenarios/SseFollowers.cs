using System.Net.Http.Headers;
using System.Text.Json;
using ActorChat.Bench.Load;

namespace ActorChat.Bench.Scenarios;

/// <summary>One <c>text/event-stream</c> per client on a room, read line by line, each message's latency recorded.</summary>
internal static class SseFollowers
{
    public static async Task<(int Sent, double CpuSeconds)> RunAsync(
        HttpClient http,
        IReadOnlyList<string> tokens,
        string room,
        LatencyRecorder latency,
        Progress progress,
        Func<Task<int>> publish,
        Func<long, TimeSpan, Task> drain,
        Func<double> cpuSeconds,
        CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ready = 0;
        var allReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var followers = tokens.Select(token => Task.Run(() => FollowAsync(http, token, room, latency, progress, () =>
        {
            if (Interlocked.Increment(ref ready) == tokens.Count)
            {
                allReady.TrySetResult();
            }
        }, stop.Token), stop.Token)).ToList();

        await allReady.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        var cpu = cpuSeconds();
        var sent = await publish();
        await drain((long)sent * tokens.Count, TimeSpan.FromSeconds(2));
        var used = cpuSeconds() - cpu;
        await stop.CancelAsync();
        try
        {
            await Task.WhenAll(followers);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
        {
        }

        return (sent, used);
    }

    private static async Task FollowAsync(HttpClient http, string token, string room, LatencyRecorder latency, Progress progress, Action onReady, CancellationToken cancellationToken)
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
                latency.Record(Clock.MicrosecondsSince(Clock.ReadStamp(frame.RootElement.GetProperty("text").GetString())));
                progress.ReceivedOne();
            }
        }
    }
}
