using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ActorChat.FrontEnd.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace ActorChat.Api.Tests;

/// <summary>Replies count against a connection's outbound byte cap like relayed events do.</summary>
public sealed class BackPressureTests(SlowPeerServer server) : IClassFixture<SlowPeerServer>
{
    private const int Requests = 40;
    private const int PageSize = 50;

    [Fact]
    public async Task A_peer_that_asks_for_history_and_stops_reading_is_served_no_further_than_its_cap_and_loses_nothing()
    {
        var room = $"flood-{Guid.NewGuid():N}"[..20];
        await using var author = await server.ConnectAsync($"author{room[^6..]}");
        await author.OkAsync("join", ("room", room));

        // Fifty long non-ASCII messages: one history page is about 600 KB of frame.
        var text = string.Concat(Enumerable.Repeat("长消息", 1300));
        for (var i = 0; i < PageSize; i++)
        {
            await author.OkAsync("send", ("room", room), ("text", text), ("clientMsgId", $"m{i}"));
        }

        using var reader = new ClientWebSocket();
        reader.Options.SetRequestHeader("Authorization", $"Bearer {await server.TokenAsync($"reader{room[^6..]}")}");
        await reader.ConnectAsync(server.SocketAddress, CancellationToken.None);
        var welcome = await ReceiveAsync(reader);
        var connection = server.Services.GetRequiredService<ConnectionRegistry>().Find(welcome.Str("connection"))!;
        await SendAsync(reader, new { id = "join", type = "join", room });

        // Forty pages (about 24 MB of replies) asked for, and nothing read.
        for (var i = 0; i < Requests; i++)
        {
            await SendAsync(reader, new { id = $"h{i}", type = "history", room, limit = PageSize });
        }

        await connection.Outbox.BackPressured.Task.WaitAsync(ChatClient.Deadline);
        var largestFrame = Encoding.UTF8.GetByteCount(text) * PageSize * 11 / 10;
        Assert.InRange(connection.Outbox.Bytes, 0, 1024 * 1024 + largestFrame);

        // Reading again, the peer gets every reply, whole and in order: held back, not dropped.
        Assert.Equal(("join", "ok"), (await ReplyAsync(reader)) is var joined ? (joined.Str("id"), joined.Type()) : default);
        for (var i = 0; i < Requests; i++)
        {
            var reply = await ReplyAsync(reader);
            Assert.Equal(($"h{i}", "ok"), (reply.Str("id"), reply.Type()));
            Assert.Equal(PageSize, reply.GetProperty("messages").GetArrayLength());
        }

        Assert.Equal(WebSocketState.Open, reader.State);
        await reader.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    private static Task SendAsync(ClientWebSocket socket, object request) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(request), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next reply (ok or error), past any event.</summary>
    private static async Task<JsonElement> ReplyAsync(ClientWebSocket socket)
    {
        while (true)
        {
            var frame = await ReceiveAsync(socket);
            if (frame.Type() is "ok" or "error")
            {
                return frame;
            }
        }
    }

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        using var deadline = new CancellationTokenSource(ChatClient.Deadline);
        using var frame = new MemoryStream();
        var buffer = new byte[64 * 1024];
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(), deadline.Token);
            frame.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return JsonDocument.Parse(frame.ToArray()).RootElement.Clone();
    }
}
