using System.Text;
using System.Text.Json;

namespace ActorChat.Api.Tests;

/// <summary>Text travels as UTF-8 on every path: escaped only where JSON requires it, never as <c>\uXXXX</c>.</summary>
[Collection(ServerCollection.Name)]
public sealed class FrameEncodingTests(ChatServer server)
{
    // Chinese, an accented letter, an emoji joined by a zero-width joiner, a flag, a line separator and markup.
    private const string Text = "你好，世界 café 👩‍💻 🇨🇳 a\u2028b <b>&</b>";

    private static string NewRoom(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    private static string NewUser(string name) => $"{name}{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task Socket_frames_carry_text_as_utf8_and_escape_only_what_json_requires()
    {
        var room = NewRoom("utf8");
        await using var alice = await server.ConnectAsync(NewUser("alice"));
        await using var bob = await server.ConnectAsync(NewUser("bob"));
        await alice.OkAsync("join", ("room", room));
        await bob.OkAsync("join", ("room", room));

        var tricky = $"{Text} \"quoted\" back\\slash new\nline tab\t bell\u0007";
        await alice.OkAsync("send", ("room", room), ("text", tricky));
        var delivered = (await bob.MessagesAsync(room, 1))[0];
        var history = (await bob.OkAsync("history", ("room", room))).GetProperty("messages")[0];

        foreach (var frame in new[] { delivered, history })
        {
            Assert.Equal(tricky, frame.Str("text"));
            var raw = frame.GetRawText();
            Assert.Contains(Text, raw, StringComparison.Ordinal);
            Assert.Contains("\\\"quoted\\\"", raw, StringComparison.Ordinal);
            Assert.Contains("back\\\\slash new\\nline tab\\t bell\\u0007", raw, StringComparison.Ordinal);
            Assert.DoesNotContain("\\u4F60", raw, StringComparison.OrdinalIgnoreCase);
        }

        // Twenty Chinese characters cost their 60 UTF-8 bytes in the frame, not 120 of escapes.
        var chinese = string.Concat(Enumerable.Repeat("中文", 10));
        await alice.OkAsync("send", ("room", room), ("text", chinese));
        var frameText = (await bob.MessagesAsync(room, 1))[0].GetRawText();
        Assert.Contains(chinese, frameText, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(frameText) < 60 + 200, frameText);
    }

    [Fact]
    public async Task Rest_and_event_streams_carry_text_as_utf8_too()
    {
        var room = NewRoom("utf8-rest");
        var user = NewUser("carol");
        var token = await server.TokenAsync(user);
        await using var socket = await server.ConnectAsync(user);
        await socket.OkAsync("join", ("room", room));
        await socket.OkAsync("send", ("room", room), ("text", Text));

        using var read = ChatServer.Authorized(HttpMethod.Get, $"/api/rooms/{room}/messages?after=0", token);
        using var response = await server.Http.SendAsync(read);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(Text, body, StringComparison.Ordinal);
        Assert.Equal(Text, JsonDocument.Parse(body).RootElement.GetProperty("messages")[0].Str("text"));

        var (_, stream) = await SseStream.OpenAsync(server.Http, $"/api/rooms/{room}/events?since=0", token);
        await using (stream)
        {
            var message = await stream!.NextAsync("message");
            Assert.Contains(Text, message.Data.GetRawText(), StringComparison.Ordinal);
        }
    }
}
