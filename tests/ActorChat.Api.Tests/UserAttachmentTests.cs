using System.Net.WebSockets;
using ActorChat.Contracts;
using ActorChat.FrontEnd.Relay;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorChat.Api.Tests;

/// <summary>
/// A node's attachment to a user's grain lives only in that activation; the node attaches again periodically, so a
/// lost attachment (a silo that died with the grain) costs the user's events at most one interval.
/// </summary>
[Collection(FakeClockCollection.Name)]
public sealed class UserAttachmentTests(FakeClockServer server)
{
    [Fact]
    public async Task A_node_whose_attachment_was_lost_attaches_again_within_the_interval_and_ended_sessions_reach_its_sockets()
    {
        var user = $"attached{Guid.NewGuid():N}"[..16];
        await using var client = await ChatClient.ConnectAsync(server.SocketAddress, server.Token(user, TimeSpan.FromHours(1)));
        await client.OkAsync("ping");

        // The grain forgets this node, as a new activation would.
        var feed = server.Services.GetRequiredService<ChatRelay>().UserFeeds().Single(f => f.User == user);
        await feed.LoseAttachmentAsync();

        await NextFullUserCheckAsync();

        await server.Services.GetRequiredService<IGrainFactory>().GetGrain<IUserGrain>(user).EndSessions(revokeTokens: false);
        Assert.Equal((WebSocketCloseStatus)4003, await client.Closed.Task.WaitAsync(ChatClient.Deadline));
    }

    [Fact]
    public async Task A_revocation_the_node_did_not_hear_closes_its_sockets_when_it_attaches_again_and_a_newer_token_stays()
    {
        var user = $"revoked{Guid.NewGuid():N}"[..16];
        await using var old = await ChatClient.ConnectAsync(server.SocketAddress, server.Token(user, TimeSpan.FromHours(1)));
        await old.OkAsync("ping");
        var feed = server.Services.GetRequiredService<ChatRelay>().UserFeeds().Single(f => f.User == user);
        await feed.LoseAttachmentAsync();

        // Revoked while this node was not attached: nothing told it.
        await server.Services.GetRequiredService<IGrainFactory>().GetGrain<IUserGrain>(user).EndSessions(revokeTokens: true);
        // The revocation is on the server's (fake) clock: a token issued on it two seconds later is accepted.
        server.Clock.Advance(TimeSpan.FromSeconds(2));
        var newer = TestTokens.Mint(user, TimeSpan.FromHours(1), server.Now, issuedAt: server.Now.UtcDateTime);
        await using var fresh = await ChatClient.ConnectAsync(server.SocketAddress, newer);
        await old.OkAsync("ping");

        // Attaching again, the node learns of the revocation: the socket it covers closes, the one opened after stays.
        await NextFullUserCheckAsync();
        Assert.Equal((WebSocketCloseStatus)4003, await old.Closed.Task.WaitAsync(ChatClient.Deadline));
        await fresh.OkAsync("ping");
    }

    // A pass that began before the test's change could end after it: wait for one that began after.
    private async Task NextFullUserCheckAsync()
    {
        var maintenance = server.Services.GetServices<IHostedService>().OfType<RelayMaintenance>().Single();
        for (var pass = 0; pass < 2; pass++)
        {
            var check = maintenance.NextUserCheck;
            server.Clock.Advance(TimeSpan.FromMinutes(1));
            await check.WaitAsync(ChatClient.Deadline);
        }
    }
}
