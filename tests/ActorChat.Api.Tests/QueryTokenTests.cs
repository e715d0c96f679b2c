using System.Net;

namespace ActorChat.Api.Tests;

/// <summary>A front end that still takes the bearer token in the query, for clients older than tickets.</summary>
public sealed class QueryTokenServer() : ChatServer(new Dictionary<string, string>
{
    ["ActorChat:Auth:AllowQueryToken"] = "true",
});

public sealed class QueryTokenTests(QueryTokenServer server) : IClassFixture<QueryTokenServer>
{
    private static string NewUser(string name) => $"{name}{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task With_AllowQueryToken_old_clients_open_sockets_and_streams_with_access_token()
    {
        var token = await server.TokenAsync(NewUser("old"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await Upgrade.StatusAsync(Upgrade.WithQuery(server.SocketAddress, "access_token", token)));

        var (_, stream) = await SseStream.OpenAsync(server.Http, $"/api/rooms/old-{Guid.NewGuid():N}"[..30] + $"/events?access_token={token}", token: null);
        await using (stream)
        {
            Assert.NotNull(stream);
            await stream.NextAsync("ready");
        }
    }

    [Fact]
    public async Task Even_with_AllowQueryToken_the_rest_of_the_API_takes_the_token_only_in_the_header()
    {
        var token = await server.TokenAsync(NewUser("rest"));
        using var response = await server.Http.GetAsync($"/api/rooms?access_token={token}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
