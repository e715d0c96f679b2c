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
        await feed.StopAsync();

        var maintenance = server.Services.GetServices<IHostedService>().OfType<RelayMaintenance>().Single();
        var check = maintenance.NextUserCheck;
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        await check.WaitAsync(ChatClient.Deadline);

        await server.Services.GetRequiredService<IGrainFactory>().GetGrain<IUserGrain>(user).EndSessions(revokeTokens: false);
        Assert.Equal((WebSocketCloseStatus)4003, await client.Closed.Task.WaitAsync(ChatClient.Deadline));
    }
}
