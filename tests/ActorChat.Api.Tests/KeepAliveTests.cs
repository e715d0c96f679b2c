namespace ActorChat.Api.Tests;

/// <summary>
/// Keep-alive on the server's clock. Only the event stream's comment is the server's own timer; a WebSocket's pings
/// come from ASP.NET Core's WebSocket, which keeps real time, so <c>DeadPeerTests</c> wait for them.
/// </summary>
[Collection(FakeClockCollection.Name)]
public sealed class KeepAliveTests(FakeClockServer server)
{
    [Fact]
    public async Task An_idle_event_stream_gets_a_keep_alive_comment_each_interval()
    {
        var token = server.Token($"idle{Guid.NewGuid():N}"[..12], TimeSpan.FromMinutes(10));
        var (_, stream) = await SseStream.OpenAsync(server.Http, $"/api/rooms/quiet-{Guid.NewGuid():N}"[..30] + "/events", token);
        await using (stream)
        {
            await stream!.NextAsync("ready");

            // ActorChat:Sockets:KeepAliveInterval, 30 s by default.
            server.Clock.Advance(TimeSpan.FromSeconds(30));
            Assert.Equal(": keep-alive", await stream.NextCommentAsync());
            server.Clock.Advance(TimeSpan.FromSeconds(30));
            Assert.Equal(": keep-alive", await stream.NextCommentAsync());
        }
    }
}
