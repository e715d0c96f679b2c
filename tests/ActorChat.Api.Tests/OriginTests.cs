using System.Net;
using System.Net.WebSockets;

namespace ActorChat.Api.Tests;

/// <summary>A server that accepts browser sockets from one origin only.</summary>
public sealed class OriginServer() : ChatServer(new Dictionary<string, string>
{
    ["ActorChat:Sockets:AllowedOrigins:0"] = "https://chat.example",
});

public sealed class OriginTests(OriginServer server) : IClassFixture<OriginServer>
{
    [Fact]
    public async Task A_socket_from_another_origin_gets_403_and_the_allowed_origin_connects()
    {
        var token = await server.TokenAsync("browser");
        using var evil = new ClientWebSocket();
        evil.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        evil.Options.SetRequestHeader("Origin", "https://evil.example");
        evil.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => evil.ConnectAsync(server.SocketAddress, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, evil.HttpStatusCode);

        using var good = new ClientWebSocket();
        good.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        good.Options.SetRequestHeader("Origin", "https://chat.example");
        await good.ConnectAsync(server.SocketAddress, CancellationToken.None);
        Assert.Equal(WebSocketState.Open, good.State);
        good.Abort();
    }
}
