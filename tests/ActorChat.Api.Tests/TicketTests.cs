using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ActorChat.Contracts;
using ActorChat.FrontEnd.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace ActorChat.Api.Tests;

/// <summary>
/// One-use tickets: how browsers open sockets and event streams without putting the bearer token in a URL that
/// proxies log. Expiry on a fake clock is in <see cref="TicketClockTests"/>.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class TicketTests(ChatServer server)
{
    private static string NewUser(string name) => $"{name}{Guid.NewGuid():N}"[..16];

    private static string NewRoom(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    [Fact]
    public async Task A_ticket_opens_a_socket_once_and_a_second_use_gets_401()
    {
        var user = NewUser("once");
        var (ticket, _) = await server.TicketAsync(await server.TokenAsync(user));

        await using (var client = await ChatClient.ConnectWithTicketAsync(server.SocketAddress, ticket))
        {
            Assert.Equal(user, client.User);
            await client.OkAsync("ping");
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await Upgrade.StatusAsync(Upgrade.WithQuery(server.SocketAddress, "ticket", ticket)));
    }

    [Fact]
    public async Task The_ticket_endpoint_needs_the_bearer_token_and_answers_with_a_short_lived_uncached_ticket()
    {
        using (var anonymous = await server.Http.PostAsync("/api/auth/ticket", content: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        var before = DateTimeOffset.UtcNow;
        using var request = ChatServer.Authorized(HttpMethod.Post, "/api/auth/ticket", await server.TokenAsync(NewUser("issued")));
        using var response = await server.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Matches("^[A-Za-z0-9_-]{43}$", body.Str("ticket"));
        var expiresAt = body.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expiresAt, before.AddSeconds(29), DateTimeOffset.UtcNow.AddSeconds(31));
    }

    [Fact]
    public async Task A_ticket_never_issued_or_not_in_the_ticket_format_gets_401_before_the_upgrade()
    {
        foreach (var ticket in new[] { Tickets.New(), "short", new string('a', 44), string.Empty })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await Upgrade.StatusAsync(Upgrade.WithQuery(server.SocketAddress, "ticket", ticket)));
        }
    }

    [Fact]
    public async Task Only_the_socket_and_the_event_stream_take_a_ticket_and_elsewhere_it_is_not_spent()
    {
        var token = await server.TokenAsync(NewUser("elsewhere"));
        var (ticket, _) = await server.TicketAsync(token);

        using (var rooms = await server.Http.GetAsync($"/api/rooms?ticket={ticket}"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, rooms.StatusCode);
        }

        using (var another = await server.Http.PostAsync($"/api/auth/ticket?ticket={ticket}", content: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, another.StatusCode);
        }

        await using var client = await ChatClient.ConnectWithTicketAsync(server.SocketAddress, ticket);
        await client.OkAsync("ping");
    }

    [Fact]
    public async Task A_socket_opened_with_a_ticket_is_its_users_and_takes_a_refresh_for_that_user_only()
    {
        var user = NewUser("refresh");
        var (ticket, _) = await server.TicketAsync(TestTokens.Mint(user, TimeSpan.FromMinutes(5)));
        await using var client = await ChatClient.ConnectWithTicketAsync(server.SocketAddress, ticket);

        var refreshed = await client.OkAsync("refresh", ("token", TestTokens.Mint(user, TimeSpan.FromMinutes(10))));
        Assert.True(DateTimeOffset.Parse(refreshed.Str("expiresAt"), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(5));
        var stolen = await client.RequestAsync("refresh", ("token", TestTokens.Mint(NewUser("other"), TimeSpan.FromMinutes(10))));
        Assert.Equal("forbidden", stolen.Str("code"));
    }

    [Fact]
    public async Task A_ticket_lives_in_its_shard_grain_so_a_ticket_issued_by_one_front_end_opens_a_socket_on_another()
    {
        // Another front end is another Orleans client of the same cluster: it reaches the same grain.
        var grains = server.Services.GetRequiredService<IGrainFactory>();

        // Issued here, redeemed elsewhere: the grain hands out the grant, and this front end then finds it spent.
        var user = NewUser("roaming");
        var token = await server.TokenAsync(user);
        var (issuedHere, _) = await server.TicketAsync(token);
        var key = Tickets.Key(issuedHere);
        var grant = await grains.GetGrain<ITicketShardGrain>(ITicketShardGrain.Of(key)).Redeem(key);
        Assert.NotNull(grant);
        Assert.Equal(user, grant.User);
        Assert.NotNull(grant.TokenExpiresAt);
        Assert.Equal(HttpStatusCode.Unauthorized, await Upgrade.StatusAsync(Upgrade.WithQuery(server.SocketAddress, "ticket", issuedHere)));

        // Issued elsewhere (as TicketIssuer does on any node), redeemed here.
        var issuedElsewhere = Tickets.New();
        var elsewhere = Tickets.Key(issuedElsewhere);
        await grains.GetGrain<ITicketShardGrain>(ITicketShardGrain.Of(elsewhere)).Issue(elsewhere, user, null, DateTimeOffset.UtcNow.AddMinutes(5), TimeSpan.FromSeconds(30));
        await using var client = await ChatClient.ConnectWithTicketAsync(server.SocketAddress, issuedElsewhere);
        Assert.Equal(user, client.User);
    }

    [Fact]
    public async Task The_bearer_token_in_the_query_is_refused_by_default_on_the_socket_and_the_event_stream()
    {
        var token = await server.TokenAsync(NewUser("query"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Upgrade.StatusAsync(Upgrade.WithQuery(server.SocketAddress, "access_token", token)));

        var (response, stream) = await SseStream.OpenAsync(server.Http, $"/api/rooms/{NewRoom("query")}/events?access_token={token}", token: null);
        using (response)
        {
            Assert.Null(stream);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        // The header still works for clients that can set one.
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await Upgrade.StatusAsync(server.SocketAddress, bearer: token));
    }
}
