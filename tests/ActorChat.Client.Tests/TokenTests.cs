using static ActorChat.Client.Tests.Clients;

namespace ActorChat.Client.Tests;

/// <summary>
/// The server closing with 4001 at a token's end, on a clock the tests move: the client asks for a new token, or stops.
/// Room events are not relied on here (the server's relay runs on the same fake clock); the proxy tests cover delivery.
/// </summary>
public sealed class TokenTests(FakeClockServer server) : IClassFixture<FakeClockServer>
{
    /// <summary>
    /// The first token's life on the server's clock. The ticket endpoint checks tokens against the wall clock, which is
    /// seconds ahead of a fake clock made before the server started; a minute covers that, and the test moves the
    /// server's clock past it at once.
    /// </summary>
    private static readonly TimeSpan FirstLifetime = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_4001_at_the_tokens_end_reconnects_with_a_fresh_token_and_resumes_the_rooms()
    {
        var room = NewRoom("expiry");
        var tokens = 0;
        await using var chat = new ChatClient(Options(NewUser("expiring"), () => Interlocked.Increment(ref tokens) == 1 ? FirstLifetime : TimeSpan.FromHours(1)));
        using var log = new EventLog(chat);
        await chat.ConnectAsync();
        await chat.JoinAsync(room);
        var first = await chat.SendAsync(room, "before");

        server.Clock.Advance(FirstLifetime);
        var dropped = await log.WaitForAsync<ConnectionStateChanged>(s => s.State == ChatConnectionState.Reconnecting);
        Assert.Equal(4001, dropped.CloseCode);
        var resumed = await log.WaitForAsync<RoomResumed>(r => r.Room == room);
        Assert.Equal((first.Seq, true), (resumed.LastSeq, resumed.Recovered));

        // The new socket lives on the fresh token: past the first one's end, requests go through.
        var after = await chat.SendAsync(room, "after");
        Assert.Equal(first.Seq + 1, after.Seq);
        Assert.Equal(2, tokens);
        Assert.Equal(ChatConnectionState.Open, chat.State);
    }

    [Fact]
    public async Task When_the_token_provider_fails_after_a_4001_the_client_stops_with_unauthorized()
    {
        var calls = 0;
        await using var chat = new ChatClient(Options(NewUser("signedout"), () => Interlocked.Increment(ref calls) == 1
            ? FirstLifetime
            : throw new InvalidOperationException("Signed out.")));
        using var log = new EventLog(chat);
        await chat.ConnectAsync();

        server.Clock.Advance(FirstLifetime);
        var closed = await log.WaitForAsync<ConnectionStateChanged>(s => s.State == ChatConnectionState.Closed);

        Assert.Equal(ChatErrorCodes.Unauthorized, Assert.IsType<ChatException>(closed.Error).Code);
        Assert.Equal(ChatConnectionState.Closed, chat.State);
        Assert.Equal(ChatErrorCodes.Closed, (await Assert.ThrowsAsync<ChatException>(() => chat.PingAsync())).Code);
        Assert.Equal(ChatErrorCodes.Unauthorized, (await Assert.ThrowsAsync<ChatException>(() => log.Completion)).Code);
    }

    /// <summary>A client whose token provider mints a token for <paramref name="user"/> that lives <paramref name="lifetime"/> on the server's clock.</summary>
    private ChatClientOptions Options(string user, Func<TimeSpan> lifetime) => new()
    {
        Server = server.BaseAddress,
        TokenProvider = _ => ValueTask.FromResult(server.Token(user, lifetime())),
        Backoff = new ChatBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)),
    };
}
