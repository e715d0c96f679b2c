using System.Globalization;
using System.Net.WebSockets;

namespace ActorChat.Api.Tests;

/// <summary>A connection ends when its token does, on a clock the tests move: no test waits for a token to expire.</summary>
[Collection(FakeClockCollection.Name)]
public sealed class TokenExpiryTests(FakeClockServer server)
{
    private static string NewUser(string name) => $"{name}{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task A_socket_whose_token_expires_is_closed_with_4001_and_not_before()
    {
        await using var client = await ChatClient.ConnectAsync(server.SocketAddress, server.Token(NewUser("shortlived"), TimeSpan.FromSeconds(2)));

        // The expiry is in whole seconds, so it falls more than a second from now.
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        await client.OkAsync("ping");

        server.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((WebSocketCloseStatus)4001, await client.Closed.Task.WaitAsync(ChatClient.Deadline));
    }

    [Fact]
    public async Task A_refresh_with_a_fresh_token_keeps_the_socket_open_past_the_old_expiry()
    {
        var user = NewUser("refresher");
        await using var client = await ChatClient.ConnectAsync(server.SocketAddress, server.Token(user, TimeSpan.FromSeconds(6)));
        var refreshed = await client.OkAsync("refresh", ("token", server.Token(user, TimeSpan.FromMinutes(10))));
        Assert.True(DateTimeOffset.Parse(refreshed.Str("expiresAt"), CultureInfo.InvariantCulture) > server.Now.AddMinutes(5));

        // Had the old expiry still held, the socket would be closed by now and the ping would fail.
        server.Clock.Advance(TimeSpan.FromSeconds(7));
        await client.OkAsync("ping");

        var stolen = await client.RequestAsync("refresh", ("token", server.Token(NewUser("somebody"), TimeSpan.FromMinutes(10))));
        Assert.Equal("forbidden", stolen.Str("code"));
    }

    [Fact]
    public async Task A_socket_opened_with_a_ticket_closes_with_4001_when_the_token_it_was_bought_with_expires()
    {
        var (ticket, expiresAt) = await server.TicketAsync(server.Token(NewUser("expiring"), TimeSpan.FromSeconds(3)));

        // The ticket lives no longer than its token.
        Assert.True(expiresAt <= server.Now.AddSeconds(3), $"ticket expires {expiresAt:O}");
        await using var client = await ChatClient.ConnectWithTicketAsync(server.SocketAddress, ticket);
        server.Clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal((WebSocketCloseStatus)4001, await client.Closed.Task.WaitAsync(ChatClient.Deadline));
    }

    [Fact]
    public async Task An_event_stream_whose_token_expires_ends_with_a_close_event_carrying_4001()
    {
        var token = server.Token(NewUser("follower"), TimeSpan.FromSeconds(2));
        var (_, stream) = await SseStream.OpenAsync(server.Http, $"/api/rooms/expiring-{Guid.NewGuid():N}"[..30] + "/events", token);
        await using (stream)
        {
            await stream!.NextAsync("ready");
            server.Clock.Advance(TimeSpan.FromSeconds(2));
            var close = await stream.NextAsync("close");
            Assert.Equal(4001, close.Data.GetProperty("code").GetInt32());
            Assert.Null(await stream.NextAsync());
        }
    }
}
