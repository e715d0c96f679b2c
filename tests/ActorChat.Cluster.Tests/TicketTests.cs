using System.Net;
using System.Net.WebSockets;
using ActorChat.Testing;

namespace ActorChat.Cluster.Tests;

/// <summary>
/// Tickets live in a grain, not in the front end that issued them: behind a load balancer without sticky sessions,
/// the socket may land on any front end.
/// </summary>
public sealed class TicketTests
{
    [Fact]
    public async Task A_ticket_issued_by_one_front_end_opens_a_socket_on_the_other_and_then_on_neither()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 1, frontEnds: 2);
        var (issuer, other) = (cluster.FrontEnds[0], cluster.FrontEnds[1]);
        var ticket = await cluster.TicketAsync(issuer, await cluster.TokenAsync(issuer, "roamer"));

        await using (var client = await ChatClient.ConnectWithTicketAsync(other.Socket, ticket))
        {
            Assert.Equal("roamer", client.User);
            await client.OkAsync("ping");
        }

        foreach (var frontEnd in cluster.FrontEnds)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await UpgradeStatusAsync(frontEnd.Socket, ticket));
        }
    }

    private static async Task<HttpStatusCode> UpgradeStatusAsync(Uri socket, string ticket)
    {
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(new UriBuilder(socket) { Query = $"ticket={ticket}" }.Uri, CancellationToken.None));
        return client.HttpStatusCode;
    }
}
