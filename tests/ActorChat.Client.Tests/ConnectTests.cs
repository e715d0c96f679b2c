using System.Net;
using System.Net.WebSockets;
using static ActorChat.Client.Tests.Clients;

namespace ActorChat.Client.Tests;

/// <summary>Opening a session: with a ticket or a bearer header, a refused token, closing, and the layer below.</summary>
[Collection(ServerCollection.Name)]
public sealed class ConnectTests(ChatServer server)
{
    [Theory]
    [InlineData(ChatAuthMode.Ticket)]
    [InlineData(ChatAuthMode.BearerHeader)]
    public async Task Connects_with_a_ticket_or_a_bearer_header_as_the_user_of_the_token(ChatAuthMode mode)
    {
        var user = NewUser("conn");
        await using var chat = For(server, user, mode);
        using var log = new EventLog(chat);
        await chat.ConnectAsync();

        Assert.Equal((ChatConnectionState.Open, user), (chat.State, chat.User));
        await log.WaitForAsync<ConnectionStateChanged>(s => s.State == ChatConnectionState.Open);
        Assert.Equal([ChatConnectionState.Connecting, ChatConnectionState.Open], log.All<ConnectionStateChanged>().Select(s => s.State));
        Assert.InRange(await chat.PingAsync(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Theory]
    [InlineData(ChatAuthMode.Ticket)]
    [InlineData(ChatAuthMode.BearerHeader)]
    public async Task A_refused_token_fails_the_connect_with_unauthorized_and_leaves_the_client_disconnected(ChatAuthMode mode)
    {
        await using var chat = new ChatClient(new ChatClientOptions
        {
            Server = server.BaseAddress,
            TokenProvider = ChatClientOptions.Token("not-a-token"),
            AuthMode = mode,
        });

        var refused = await Assert.ThrowsAsync<ChatException>(() => chat.ConnectAsync());
        Assert.Equal(ChatErrorCodes.Unauthorized, refused.Code);
        Assert.Equal(ChatConnectionState.Disconnected, chat.State);
        Assert.Equal(ChatErrorCodes.Disconnected, (await Assert.ThrowsAsync<ChatException>(() => chat.PingAsync())).Code);
    }

    [Fact]
    public async Task A_closed_client_refuses_requests_with_closed_and_ends_its_event_streams()
    {
        var chat = await ConnectedAsync(server, NewUser("closer"));
        using var log = new EventLog(chat);
        await chat.CloseAsync();

        Assert.Equal(ChatConnectionState.Closed, chat.State);
        Assert.Equal(ChatErrorCodes.Closed, (await Assert.ThrowsAsync<ChatException>(() => chat.PingAsync())).Code);
        await log.Completion.WaitAsync(Deadline);
        Assert.Equal(ChatConnectionState.Closed, log.All<ConnectionStateChanged>()[^1].State);
        await chat.DisposeAsync();
    }

    [Fact]
    public async Task The_layer_below_reports_a_refused_upgrade_raw_replies_and_the_close_status()
    {
        await using (var refused = new ChatConnection(new ChatConnectionOptions { BearerToken = "not-a-token" }))
        {
            await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(server.SocketAddress));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.HttpStatusCode);
        }

        var user = NewUser("raw");
        await using var connection = new ChatConnection(new ChatConnectionOptions { BearerToken = await server.TokenAsync(user) });
        await connection.ConnectAsync(server.SocketAddress);
        Assert.Equal((user, 1), (connection.User, connection.Protocol));

        var unknown = await connection.RequestAsync("fly");
        Assert.Equal(("error", "unknown_type"), (unknown.Type(), unknown.Str("code")));

        await connection.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, await connection.Closed.WaitAsync(Deadline));
        await Assert.ThrowsAsync<WebSocketException>(() => connection.RequestAsync("ping"));
    }
}
