using System.Collections.Concurrent;
using System.Diagnostics;

namespace ActorChat.Api.Tests;

[Collection(ServerCollection.Name)]
public sealed class TracingTests(ChatServer server) : IDisposable
{
    private readonly ConcurrentQueue<Activity> _finished = new();
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name == "ActorChat" || source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal),
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task A_send_is_one_trace_from_the_socket_through_the_grain_call_to_the_relay()
    {
        _listener.ActivityStopped = _finished.Enqueue;
        ActivitySource.AddActivityListener(_listener);
        var room = $"traced-{Guid.NewGuid():N}"[..20];
        await using var alice = await server.ConnectAsync($"t-alice{room[^6..]}");
        await using var bob = await server.ConnectAsync($"t-bob{room[^6..]}");
        await alice.OkAsync("join", ("room", room));
        await bob.OkAsync("join", ("room", room));
        await alice.OkAsync("send", ("room", room), ("text", "follow me"));
        await bob.MessagesAsync(room, 1);

        var send = await WaitForAsync(a => a.OperationName == "chat send" && (string?)a.GetTagItem("chat.room") == room);
        var relay = await WaitForAsync(a => a.OperationName == "chat relay" && (string?)a.GetTagItem("chat.room") == room);
        Assert.Equal(send.TraceId, relay.TraceId);
        Assert.Contains(_finished, a => a.TraceId == send.TraceId && a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));
    }

    private async Task<Activity> WaitForAsync(Func<Activity, bool> match)
    {
        // Spans end on other threads just after the replies; wait for them with a deadline.
        using var deadline = new CancellationTokenSource(ChatClient.Deadline);
        while (true)
        {
            var found = _finished.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(20, deadline.Token);
        }
    }
}
