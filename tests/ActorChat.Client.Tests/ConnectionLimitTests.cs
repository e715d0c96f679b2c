using static ActorChat.Client.Tests.Clients;

namespace ActorChat.Client.Tests;

/// <summary>A server that lets each user hold one connection, so the second is refused for certain.</summary>
public sealed class OneConnectionServer() : ChatServer(new Dictionary<string, string>
{
    ["ActorChat:Sockets:MaxConnectionsPerUser"] = "1",
});

public sealed class ConnectionLimitTests(OneConnectionServer server) : IClassFixture<OneConnectionServer>
{
    [Theory]
    [InlineData(ChatAuthMode.Ticket)]
    [InlineData(ChatAuthMode.BearerHeader)]
    public async Task A_connection_over_the_users_limit_fails_with_too_many_connections_and_the_servers_reason(ChatAuthMode mode)
    {
        var user = NewUser("single");
        await using var first = await ConnectedAsync(server, user, mode);
        await using var second = For(server, user, mode);

        var refused = await Assert.ThrowsAsync<ChatException>(() => second.ConnectAsync());
        Assert.Equal(ChatErrorCodes.TooManyConnections, refused.Code);
        Assert.Equal("too_many_connections: at most 1 per user on this node", refused.Message);

        // The refusal held no place: the first connection still works, and once it is gone the second gets in.
        await first.PingAsync();
        await first.DisposeAsync();
        await ConnectOnceFreeAsync(second);
        Assert.Equal(user, second.User);
    }

    private static async Task ConnectOnceFreeAsync(ChatClient chat)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            try
            {
                await chat.ConnectAsync(deadline.Token);
                return;
            }
            catch (ChatException ex) when (ex.Code == ChatErrorCodes.TooManyConnections && !deadline.IsCancellationRequested)
            {
                // The server gives the place back once it has finished closing the first socket.
                await Task.Delay(50, deadline.Token);
            }
        }
    }
}

/// <summary>A server that holds one connection in all, so a second user's is turned away as a full node's.</summary>
public sealed class OneConnectionNodeServer() : ChatServer(new Dictionary<string, string>
{
    ["ActorChat:Sockets:MaxConnectionsPerNode"] = "1",
});

public sealed class FullNodeTests(OneConnectionNodeServer server) : IClassFixture<OneConnectionNodeServer>
{
    [Fact]
    public async Task A_connection_to_a_full_node_fails_with_node_full_and_the_servers_reason()
    {
        await using var first = await ConnectedAsync(server, NewUser("first"), ChatAuthMode.BearerHeader);
        await using var second = For(server, NewUser("second"), ChatAuthMode.BearerHeader);

        var refused = await Assert.ThrowsAsync<ChatException>(() => second.ConnectAsync());
        Assert.Equal(ChatErrorCodes.NodeFull, refused.Code);
        // The wait the server names is the one the library keeps before it asks again.
        Assert.StartsWith($"node_full: retry in {ChatBackoff.TurnedAwayDelay.TotalSeconds:0} s", refused.Message, StringComparison.Ordinal);
        await first.PingAsync();
    }
}
