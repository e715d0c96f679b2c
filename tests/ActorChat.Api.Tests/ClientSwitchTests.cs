using System.Net;

namespace ActorChat.Api.Tests;

/// <summary>A front end that serves no page and keeps idle connections alive every second.</summary>
public sealed class ClientSwitchServer() : ChatServer(new Dictionary<string, string>
{
    ["ActorChat:Web:Enabled"] = "false",
    ["ActorChat:Sockets:KeepAliveInterval"] = "00:00:01",
});

public sealed class ClientSwitchTests(ClientSwitchServer server) : IClassFixture<ClientSwitchServer>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/actorchat.js")]
    public async Task With_the_page_turned_off_neither_the_page_nor_the_library_is_served(string path)
    {
        using var response = await server.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task An_idle_event_stream_gets_keep_alive_comments()
    {
        var token = await server.TokenAsync($"idle{Guid.NewGuid():N}"[..12]);
        var (_, stream) = await SseStream.OpenAsync(server.Http, $"/api/rooms/quiet-{Guid.NewGuid():N}"[..30] + "/events", token);
        await using (stream)
        {
            await stream!.NextAsync("ready");
            Assert.Equal(": keep-alive", await stream.NextCommentAsync());
        }
    }
}
