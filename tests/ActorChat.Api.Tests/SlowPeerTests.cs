using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;

namespace ActorChat.Api.Tests;

/// <summary>
/// A server with a small outbound queue, so a stalled reader shows as a slow consumer. Its close timeout and keep-alive
/// are longer than the test, so the stalled socket is still there to read its 4008 however slow the machine is. One
/// publisher posts thousands of messages over REST, so the request budget is out of the way.
/// </summary>
public sealed class SlowPeerServer() : ChatServer(new Dictionary<string, string>
{
    ["ActorChat:Sockets:RequestsPerSecond"] = "1000000",
    ["ActorChat:Sockets:RequestBurst"] = "1000000",
    ["ActorChat:Sockets:OutboundQueueMessages"] = "256",
    ["ActorChat:Sockets:OutboundQueueBytes"] = "1048576",
    ["ActorChat:Sockets:CloseTimeout"] = "00:05:00",
    ["ActorChat:Sockets:KeepAliveInterval"] = "00:30:00",

    // Pages of several hundred KB, larger than the byte cap of a page by default, so replies fill the outbox fast.
    ["ActorChat:Limits:MaxHistoryPageBytes"] = "4194304",
});

/// <summary>A server that pings every second and gives up on a silent peer after another second.</summary>
public sealed class DeadPeerServer() : ChatServer(new Dictionary<string, string>
{
    ["ActorChat:Sockets:KeepAliveInterval"] = "00:00:01",
    ["ActorChat:Sockets:KeepAliveTimeout"] = "00:00:01",
});

/// <summary>A server with a tiny, slow request budget, so rate limiting and flood closing are deterministic.</summary>
public sealed class LimitsServer() : ChatServer(new Dictionary<string, string>
{
    ["ActorChat:Sockets:RequestsPerSecond"] = "0.1",
    ["ActorChat:Sockets:RequestBurst"] = "5",
    ["ActorChat:Sockets:FloodCloseAfter"] = "30",
    ["ActorChat:Sockets:MaxConnectionsPerUser"] = "2",
    ["ActorChat:Sockets:MaxConnectionsPerNode"] = "4",
    ["ActorChat:Sockets:MaxRoomsPerConnection"] = "3",
    ["ActorChat:Sockets:RoomsPerRequest"] = "1",
});

public sealed class SlowPeerTests(SlowPeerServer server) : IClassFixture<SlowPeerServer>
{
    [Fact]
    public async Task A_client_that_stops_reading_is_closed_with_4008_and_nobody_else_waits_for_it()
    {
        var room = $"slow-{Guid.NewGuid():N}"[..20];
        var readers = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => server.ConnectAsync($"reader{i}-{room[^6..]}")));
        using var stalled = await StalledClientAsync(server, $"stalled-{room[^6..]}", room);
        try
        {
            await Task.WhenAll(readers.Select(r => r.OkAsync("join", ("room", room))));
            var publisher = $"bot-{room[^6..]}";
            await using (var bot = await server.ConnectAsync(publisher))
            {
                await bot.OkAsync("join", ("room", room));
            }

            // 2,000 messages of 4,000 characters (8 MB): more than the stalled socket's kernel buffers and queue hold.
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync(publisher));
            var text = new string('s', 4000);
            var receiving = Task.WhenAll(readers.Select(r => r.MessagesAsync(room, 2000)));

            // Eight posting at once share the room's storage writes (group commit); one at a time, a busy disk made
            // this the slowest test of the suite.
            await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            {
                for (var i = 0; i < 250; i++)
                {
                    using var response = await http.PostAsJsonAsync($"/api/rooms/{room}/messages", new { text });
                    response.EnsureSuccessStatusCode();
                }
            }));

            var received = await receiving;
            foreach (var messages in received)
            {
                Assert.Equal(Enumerable.Range(1, 2000).Select(i => (long)i), messages.Select(m => m.Seq()));
            }

            // Everyone else finished while the stalled client had read nothing; now it reads and finds 4008.
            var status = await DrainUntilClosedAsync(stalled);
            Assert.Equal((WebSocketCloseStatus)4008, status);
        }
        finally
        {
            await Task.WhenAll(readers.Select(r => r.DisposeAsync().AsTask()));
        }
    }

    /// <summary>A client that joins a room and then never reads again (nor answers pings).</summary>
    internal static async Task<ClientWebSocket> StalledClientAsync(ChatServer server, string user, string room)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        socket.Options.SetRequestHeader("Authorization", $"Bearer {await server.TokenAsync(user)}");
        await socket.ConnectAsync(server.SocketAddress, CancellationToken.None);
        var join = JsonSerializer.SerializeToUtf8Bytes(new { id = "j", type = "join", room });
        await socket.SendAsync(join, WebSocketMessageType.Text, true, CancellationToken.None);
        return socket;
    }

    private static async Task<WebSocketCloseStatus?> DrainUntilClosedAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var deadline = new CancellationTokenSource(ChatClient.Deadline);
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), deadline.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return socket.CloseStatus;
                }
            }
        }
        catch (WebSocketException)
        {
            return socket.CloseStatus;
        }
    }
}

public sealed class DeadPeerTests(DeadPeerServer server) : IClassFixture<DeadPeerServer>
{
    [Fact]
    public async Task A_peer_that_vanishes_without_closing_is_dropped_by_keep_alive_and_goes_offline()
    {
        var room = $"dead-{Guid.NewGuid():N}"[..20];
        var ghost = $"ghost-{room[^6..]}";
        await using var watcher = await server.ConnectAsync($"watcher-{room[^6..]}");
        await watcher.OkAsync("join", ("room", room));
        using var silent = await SlowPeerTests.StalledClientAsync(server, ghost, room);
        var online = await watcher.NextEventAsync(e => e.Type() == "presence" && e.Str("user") == ghost && e.Str("status") == "joined");
        Assert.NotEqual(default, online);

        // The ghost never reads, so it never answers the server's pings: it must be dropped and go offline.
        var offline = await watcher.NextEventAsync(e => e.Type() == "presence" && e.Str("user") == ghost && e.Str("status") == "offline");
        Assert.Equal("offline", offline.Str("status"));
    }
}
