using System.Net;
using ActorChat.Contracts;
using ActorChat.FrontEnd.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace ActorChat.Api.Tests;

/// <summary>Ticket expiry on a clock the tests move, and what the server logs while tickets are used.</summary>
[Collection(FakeClockCollection.Name)]
public sealed class TicketClockTests(FakeClockServer server)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private static string NewUser(string name) => $"{name}{Guid.NewGuid():N}"[..16];

    private string Token(string user) => server.Token(user, TimeSpan.FromMinutes(10));

    [Fact]
    public async Task A_ticket_lives_30_seconds_on_the_servers_clock_and_after_that_gets_401()
    {
        var token = Token(NewUser("clock"));
        var issuedAt = server.Clock.GetUtcNow();
        var (early, expiresAt) = await server.TicketAsync(token);
        var (late, _) = await server.TicketAsync(token);
        Assert.Equal(issuedAt + Lifetime, expiresAt);

        server.Clock.Advance(Lifetime - TimeSpan.FromSeconds(1));
        await using (var client = await ChatClient.ConnectWithTicketAsync(server.SocketAddress, early))
        {
            await client.OkAsync("ping");
        }

        server.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, await Upgrade.StatusAsync(Upgrade.WithQuery(server.SocketAddress, "ticket", late)));
    }

    [Fact]
    public async Task A_used_ticket_leaves_memory_at_once_and_one_nobody_uses_at_its_expiry()
    {
        var grains = server.Services.GetRequiredService<IGrainFactory>();
        var token = Token(NewUser("memory"));
        var (used, _) = await server.TicketAsync(token);
        var (unused, _) = await server.TicketAsync(token);
        Assert.True(await HoldsAsync(grains, used));
        Assert.True(await HoldsAsync(grains, unused));

        // Redeemed, gone before the socket's welcome.
        await using (var client = await ChatClient.ConnectWithTicketAsync(server.SocketAddress, used))
        {
            Assert.False(await HoldsAsync(grains, used));
        }

        Assert.True(await HoldsAsync(grains, unused));
        server.Clock.Advance(Lifetime);
        await GoneAsync(grains, unused);
    }

    [Fact]
    public async Task No_ticket_and_no_token_appears_in_any_log_line_down_to_debug()
    {
        var token = Token(NewUser("logged"));
        var (socketTicket, _) = await server.TicketAsync(token);
        var (streamTicket, _) = await server.TicketAsync(token);
        var (restTicket, _) = await server.TicketAsync(token);
        var neverIssued = Tickets.New();
        var subprotocolToken = Token(NewUser("logsub"));
        var refusedToken = subprotocolToken[..^4] + "AAAA";

        await using (var client = await ChatClient.ConnectWithTicketAsync(server.SocketAddress, socketTicket))
        {
            await client.OkAsync("ping");
        }

        await using (var client = await ChatClient.ConnectWithSubprotocolAsync(server.SocketAddress, subprotocolToken))
        {
            await client.OkAsync("ping");
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await Upgrade.StatusAsync(server.SocketAddress, subprotocols: ChatClient.SubprotocolsFor(refusedToken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await Upgrade.StatusAsync(Upgrade.WithQuery(server.SocketAddress, "ticket", socketTicket)));
        Assert.Equal(HttpStatusCode.Unauthorized, await Upgrade.StatusAsync(Upgrade.WithQuery(server.SocketAddress, "ticket", neverIssued)));
        Assert.Equal(HttpStatusCode.Unauthorized, await Upgrade.StatusAsync(Upgrade.WithQuery(server.SocketAddress, "access_token", token)));
        var (_, stream) = await SseStream.OpenAsync(server.Http, $"/api/rooms/logged-{Guid.NewGuid():N}"[..30] + $"/events?ticket={streamTicket}", token: null);
        await using (stream)
        {
            await stream!.NextAsync("ready");
        }

        using (var rest = await server.Http.GetAsync($"/api/rooms?ticket={restTicket}"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, rest.StatusCode);
        }

        var lines = server.Logs.Lines;

        // The capture did see the refusals, so the absence below is not for want of logging.
        Assert.Contains(lines, l => l.Contains("The ticket is unknown, used already or expired.", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("The token is not valid.", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("access_token", StringComparison.Ordinal) && l.Contains("was ignored", StringComparison.Ordinal));
        foreach (var secret in new[] { socketTicket, streamTicket, restTicket, neverIssued, token, subprotocolToken, refusedToken })
        {
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }

    private static Task<bool> HoldsAsync(IGrainFactory grains, string ticket)
    {
        var key = Tickets.Key(ticket);
        return grains.GetGrain<ITicketShardGrain>(ITicketShardGrain.Of(key)).Holds(key);
    }

    // The shard's sweep runs on its own timer after the clock moved: ask until the ticket is gone.
    private static async Task GoneAsync(IGrainFactory grains, string ticket)
    {
        using var deadline = new CancellationTokenSource(ChatClient.Deadline);
        while (await HoldsAsync(grains, ticket))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
        }
    }
}
