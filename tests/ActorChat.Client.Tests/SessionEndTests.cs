using static ActorChat.Client.Tests.Clients;

namespace ActorChat.Client.Tests;

/// <summary>A backend ending a user's sessions (close 4003): the client comes back, unless the user's tokens were revoked too.</summary>
public sealed class SessionEndTests(KeyedServer server) : IClassFixture<KeyedServer>
{
    [Fact]
    public async Task After_a_4003_the_client_reconnects_and_resumes_its_rooms()
    {
        var (user, room) = (NewUser("ended"), NewRoom("ended"));
        await using var chat = For(server, user);
        using var log = new EventLog(chat);
        await chat.ConnectAsync();
        await chat.JoinAsync(room);
        var before = await chat.SendAsync(room, "before");
        await log.WaitUntilAsync(() => log.Messages(room).Count == 1, "the first message");

        await server.DisconnectAsync(user, revokeTokens: false);
        Assert.Equal(4003, (await log.WaitForAsync<ConnectionStateChanged>(s => s.State == ChatConnectionState.Reconnecting)).CloseCode);
        Assert.Equal(before.Seq, (await log.WaitForAsync<RoomResumed>(r => r.Room == room)).Since);

        await chat.SendAsync(room, "after");
        await log.WaitUntilAsync(() => log.Messages(room).Count == 2, "the message after");
        Assert.Equal(["before", "after"], log.Texts(room));
    }

    [Fact]
    public async Task After_a_4003_with_revoked_tokens_the_client_stops_when_its_token_is_refused()
    {
        var user = NewUser("revoked");
        var token = await server.TokenAsync(user);
        await using var chat = new ChatClient(new ChatClientOptions
        {
            Server = server.BaseAddress,
            TokenProvider = ChatClientOptions.Token(token),
            Backoff = new ChatBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)),
        });
        using var log = new EventLog(chat);
        await chat.ConnectAsync();

        await server.DisconnectAsync(user, revokeTokens: true);
        var closed = await log.WaitForAsync<ConnectionStateChanged>(s => s.State == ChatConnectionState.Closed);

        Assert.Equal(4003, log.All<ConnectionStateChanged>().First(s => s.State == ChatConnectionState.Reconnecting).CloseCode);
        Assert.Equal(ChatErrorCodes.Unauthorized, Assert.IsType<ChatException>(closed.Error).Code);
        Assert.Equal(ChatErrorCodes.Closed, (await Assert.ThrowsAsync<ChatException>(() => chat.PingAsync())).Code);
    }
}
