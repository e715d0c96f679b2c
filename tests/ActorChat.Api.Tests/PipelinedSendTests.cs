using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using ActorChat.Contracts;
using ActorChat.FrontEnd;
using ActorChat.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ActorChat.Api.Tests;

/// <summary>A server whose store can hold a room's next write until the test lets it go, and tells what each write held.</summary>
public class GatedStoreServer : ChatServer
{
    public GatedStoreServer()
    {
    }

    protected GatedStoreServer(IReadOnlyDictionary<string, string> overrides)
        : base(overrides)
    {
    }

    public StoreGate Gate { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            var store = services.Last(d => d.ServiceType == typeof(IChatStore));
            services.AddSingleton(sp => Gate.Wrap((IChatStore)store.ImplementationFactory!(sp)));
        });
    }
}

/// <summary>The same, with four sends waiting per connection at most and two messages per room call.</summary>
public sealed class CappedGatedStoreServer() : GatedStoreServer(new Dictionary<string, string>
{
    ["ActorChat:Sockets:PipelinedSends"] = "4",
    ["ActorChat:Limits:MaxPostBatch"] = "2",
});

/// <summary>Passes every call to the real store; a room's log writes are counted, and one of them can be held.</summary>
public sealed class StoreGate
{
    private readonly ConcurrentQueue<(string Room, int Entries)> _writes = new();
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _hold;

    /// <summary>Completes when the held write has reached the store.</summary>
    public Task Entered => _entered.Task;

    /// <summary>Holds the next log write of <paramref name="room"/> (once per server).</summary>
    public void HoldNext(string room) => _hold = room;

    public void Release() => _released.TrySetResult();

    /// <summary>How many entries each log write of <paramref name="room"/> carried, in order.</summary>
    public IReadOnlyList<int> Writes(string room) => [.. _writes.Where(w => w.Room == room).Select(w => w.Entries)];

    internal IChatStore Wrap(IChatStore inner)
    {
        var proxy = DispatchProxy.Create<IChatStore, Proxy>();
        ((Proxy)(object)proxy).Attach(inner, this);
        return proxy;
    }

    private async Task AppendAsync(IChatStore inner, string room, IReadOnlyList<RoomEvent> entries)
    {
        _writes.Enqueue((room, entries.Count));
        if (Interlocked.CompareExchange(ref _hold, null, room) == room)
        {
            _entered.TrySetResult();
            await _released.Task;
        }

        await inner.AppendAsync(room, entries);
    }

    /// <summary>A stand-in for the store: the room log's writes go through the gate, everything else straight on.</summary>
    public class Proxy : DispatchProxy
    {
        private IChatStore? _inner;
        private StoreGate? _gate;

        internal void Attach(IChatStore inner, StoreGate gate) => (_inner, _gate) = (inner, gate);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IChatStore.AppendAsync) && args![1] is IReadOnlyList<RoomEvent>)
            {
                return _gate!.AppendAsync(_inner!, (string)args![0]!, (IReadOnlyList<RoomEvent>)args[1]!);
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        }
    }
}

/// <summary>
/// A connection's sends do not wait for one another's commits: what a client sends without waiting for replies is
/// read on while a send is in flight, goes to the room together, in order, and each send is answered on its own.
/// </summary>
public sealed class PipelinedSendTests(GatedStoreServer server) : IClassFixture<GatedStoreServer>
{
    private static readonly string[] Ids = ["s1", "s2", "s3", "s4", "s5"];
    private static readonly string[] Stored = ["s1", "s2", "s4", "s5"];

    [Fact]
    public async Task Sends_read_while_one_is_in_flight_go_together_in_their_order_and_each_gets_its_answer()
    {
        var room = $"pipe-{Guid.NewGuid():N}"[..20];
        await using var client = await server.ConnectAsync($"piper{room[^6..]}");
        await client.OkAsync("join", ("room", room));

        // The first send's write is held in the store: its call stays in flight.
        server.Gate.HoldNext(room);
        await client.SendTextAsync(Frame("s1", room, "one"));
        await server.Gate.Entered.WaitAsync(ChatClient.Deadline);

        await client.SendTextAsync(Frame("s2", room, "two"));
        await client.SendTextAsync(Frame("s3", room, "three", replyTo: 999_999));
        await client.SendTextAsync(Frame("s4", room, "four"));
        await client.SendTextAsync(Frame("s5", room, "five"));

        // A frame that is not JSON is answered as soon as it is read: the sends before it have been read too.
        await client.SendTextAsync("{");
        var malformed = await client.NextEventAsync(e => e.Type() == "error");
        Assert.Equal("bad_request", malformed.Str("code"));

        server.Gate.Release();
        var replies = new Dictionary<string, JsonElement>();
        while (replies.Count < 5)
        {
            var reply = await client.NextEventAsync(e => e.Type() is "ok" or "error");
            replies.Add(reply.Str("id"), reply);
        }

        Assert.Equal(["ok", "ok", "error", "ok", "ok"], Ids.Select(id => replies[id].Type()));
        Assert.Equal("not_found", replies["s3"].Str("code"));
        Assert.Equal([1L, 2, 3, 4], Stored.Select(id => replies[id].Seq()));

        // The three that queued behind the first went to the store in one write.
        Assert.Equal([1, 3], server.Gate.Writes(room));

        // A request after sends sees them done.
        var history = await client.OkAsync("history", ("room", room));
        Assert.Equal(["one", "two", "four", "five"], history.GetProperty("messages").EnumerateArray().Select(m => m.Str("text")));
    }

    private static string Frame(string id, string room, string text, long? replyTo = null) =>
        JsonSerializer.Serialize(replyTo is null ? new { id, type = "send", room, text } : (object)new { id, type = "send", room, text, replyTo });
}

/// <summary>What a connection may have waiting holds: past it the server reads no further, and a call carries no more than its cap.</summary>
public sealed class PipelinedSendLimitTests(CappedGatedStoreServer server) : IClassFixture<CappedGatedStoreServer>
{
    [Fact]
    public async Task At_the_cap_the_next_frame_waits_for_an_answer_and_queued_sends_go_in_calls_of_the_batch_cap()
    {
        var room = $"cap-{Guid.NewGuid():N}"[..20];
        await using var client = await server.ConnectAsync($"capper{room[^6..]}");
        await client.OkAsync("join", ("room", room));

        server.Gate.HoldNext(room);
        await client.SendTextAsync(Frame("s1", room));
        await server.Gate.Entered.WaitAsync(ChatClient.Deadline);

        // s1 in flight and s2, s3, s4 queued make four: the server stops reading there, so the malformed frame is
        // read, and answered, only after s1 is. The three queued go in calls of two.
        await client.SendTextAsync(Frame("s2", room));
        await client.SendTextAsync(Frame("s3", room));
        await client.SendTextAsync(Frame("s4", room));
        await client.SendTextAsync("{");
        await WaitForSendsWaitingAsync(4);
        server.Gate.Release();

        var answers = new List<string>();
        while (answers.Count < 5)
        {
            var reply = await client.NextEventAsync(e => e.Type() is "ok" or "error");
            answers.Add(reply.Type() == "error" ? "malformed" : reply.Str("id"));
        }

        Assert.Equal("s1", answers[0]);
        Assert.Equal(["s1", "s2", "s3", "s4"], answers.Where(a => a != "malformed"));
        Assert.Equal([1, 2, 1], server.Gate.Writes(room));
    }

    private static string Frame(string id, string room) => JsonSerializer.Serialize(new { id, type = "send", room, text = id });

    /// <summary>Until the node's gauge shows the sends read (this fixture's server serves this test alone).</summary>
    private async Task WaitForSendsWaitingAsync(long sends)
    {
        var metrics = server.Services.GetRequiredService<ChatMetrics>();
        using var deadline = new CancellationTokenSource(ChatClient.Deadline);
        while (metrics.SendsWaiting != sends)
        {
            await Task.Delay(10, deadline.Token);
        }
    }
}
