using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using ActorChat.Contracts;
using ActorChat.FrontEnd;
using ActorChat.FrontEnd.Connections;
using ActorChat.FrontEnd.Relay;
using ActorChat.FrontEnd.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorChat.Api.Tests;

/// <summary>
/// The relay's gap repair, driven directly: a feed that is handed seq n+k when it last delivered n must fetch
/// n+1 .. n+k-1 from the real room grain and deliver everything in order, once.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class RelayGapTests(ChatServer server)
{
    [Fact]
    public async Task A_feed_that_misses_events_fetches_them_from_the_room_before_delivering_newer_ones()
    {
        await using var harness = await FeedHarness.StartAsync(server, "gap");
        var stored = new List<ChatMessage>();
        for (var i = 1; i <= 7; i++)
        {
            var sent = await harness.Grain.Send("author", $"m{i}", null);
            stored.Add(new ChatMessage(harness.Room, sent.Seq, "author", $"m{i}", sent.Ts, null));
        }

        await harness.Feed.DeliverAsync(new MessagePosted(stored[4]));
        await harness.Feed.DeliverAsync(new MessagePosted(stored[2]));
        await harness.Feed.DeliverAsync(new MessagePosted(stored[6]));
        harness.Connection.Close(WebSocketCloseStatus.NormalClosure, "done");
        await harness.Writer;

        var frames = await harness.Pair.ReadAllTextAsync();
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], frames.Select(f => f.GetProperty("seq").GetInt64()));
        Assert.Equal(stored.Select(m => m.Text), frames.Select(f => f.GetProperty("text").GetString()));
        Assert.Equal(7, harness.Feed.LastSeq);
    }

    [Fact]
    public async Task The_periodic_check_delivers_a_lost_last_message_when_nothing_newer_reveals_the_gap()
    {
        await using var harness = await FeedHarness.StartAsync(server, "check");

        await harness.Grain.Send("author", "only", null);
        await harness.Grain.Send("author", "and last", null);
        await harness.Feed.CheckAsync();
        await harness.Feed.CheckAsync();
        harness.Connection.Close(WebSocketCloseStatus.NormalClosure, "done");
        await harness.Writer;

        var frames = await harness.Pair.ReadAllTextAsync();
        Assert.Equal(["only", "and last"], frames.Select(f => f.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task Watching_again_backfills_what_was_committed_while_the_watch_was_gone_then_follows_live()
    {
        await using var harness = await FeedHarness.StartAsync(server, "resub");

        // Committed while this node did not watch the room (as after a lost gateway connection).
        await harness.Grain.Send("author", "during the outage 1", null);
        await harness.Grain.Send("author", "during the outage 2", null);
        await harness.Feed.ResubscribeAsync();
        await harness.Grain.Send("author", "after it", null);

        var frames = new List<JsonElement>();
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(ChatClient.Deadline);
        while (frames.Count < 3)
        {
            // Only messages matter here.
            var result = await harness.Pair.Client.ReceiveAsync(buffer.AsMemory(), timeout.Token);
            var frame = JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.Clone();
            if (frame.GetProperty("type").GetString() == "message")
            {
                frames.Add(frame);
            }
        }

        Assert.Equal([1L, 2, 3], frames.Select(f => f.GetProperty("seq").GetInt64()));
        Assert.Equal("after it", frames[2].GetProperty("text").GetString());
        await harness.Feed.StopAsync();
        harness.Connection.Close(WebSocketCloseStatus.NormalClosure, "done");
        await harness.Writer;
    }

    /// <summary>A room with one member, a feed that has not watched the room (so it hears only what the test hands it, as
    /// if the room's events had been lost on the way) and one connection attached to it over a real socket.</summary>
    private sealed class FeedHarness : IAsyncDisposable
    {
        public required string Room { get; init; }

        public required IRoomGrain Grain { get; init; }

        public required RoomFeed Feed { get; init; }

        public required ChatConnection Connection { get; init; }

        public required SocketPair Pair { get; init; }

        public required Task Writer { get; init; }

        public static async Task<FeedHarness> StartAsync(ChatServer server, string prefix)
        {
            var room = $"{prefix}-{Guid.NewGuid():N}"[..20];
            var client = server.Services.GetRequiredService<IClusterClient>();
            var grain = client.GetGrain<IRoomGrain>(room);
            await grain.Join("author");
            var pair = await SocketPair.CreateAsync();
            var metrics = server.Services.GetRequiredService<ChatMetrics>();
            var connection = new ChatConnection($"c-{prefix}", "reader", new WebSocketTransport(pair.Server, coalescing: null), new SocketOptions(), NullLogger.Instance, metrics);
            connection.Start();
            RoomFeed? feed = null;
            var node = new NodeRoomEvents(client, _ => feed, CancellationToken.None);
            feed = new RoomFeed(room, client, node, NullLogger.Instance, metrics, removed: _ => { });
            await feed.AttachAsync(new RoomSubscription(connection, feed, cursor: 0));
            return new FeedHarness { Room = room, Grain = grain, Feed = feed, Connection = connection, Pair = pair, Writer = connection.Completion };
        }

        public async ValueTask DisposeAsync()
        {
            Connection.Close(WebSocketCloseStatus.NormalClosure, "done");
            await Writer;
            Connection.Dispose();
            await Pair.DisposeAsync();
        }
    }

    /// <summary>Two ends of a real loopback TCP connection speaking WebSocket framing.</summary>
    private sealed class SocketPair : IAsyncDisposable
    {
        private readonly TcpClient _clientTcp;
        private readonly TcpClient _serverTcp;

        private SocketPair(TcpClient client, TcpClient serverSide)
        {
            _clientTcp = client;
            _serverTcp = serverSide;
            Server = WebSocket.CreateFromStream(serverSide.GetStream(), new WebSocketCreationOptions { IsServer = true });
            Client = WebSocket.CreateFromStream(client.GetStream(), new WebSocketCreationOptions { IsServer = false });
        }

        public WebSocket Server { get; }

        public WebSocket Client { get; }

        public static async Task<SocketPair> CreateAsync()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var client = new TcpClient();
            var accept = listener.AcceptTcpClientAsync();
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            return new SocketPair(client, await accept);
        }

        /// <summary>Every text frame until the close frame.</summary>
        public async Task<List<JsonElement>> ReadAllTextAsync()
        {
            var frames = new List<JsonElement>();
            var buffer = new byte[64 * 1024];
            using var timeout = new CancellationTokenSource(ChatClient.Deadline);
            while (true)
            {
                var result = await Client.ReceiveAsync(buffer.AsMemory(), timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return frames;
                }

                frames.Add(JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.Clone());
            }
        }

        public ValueTask DisposeAsync()
        {
            Server.Dispose();
            Client.Dispose();
            _clientTcp.Dispose();
            _serverTcp.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
