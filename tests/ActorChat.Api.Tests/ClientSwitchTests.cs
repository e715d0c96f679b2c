using System.Net;

namespace ActorChat.Api.Tests;

/// <summary>A front end that serves no page.</summary>
public sealed class ClientSwitchServer() : ChatServer(new Dictionary<string, string>
{
    ["ActorChat:Web:Enabled"] = "false",
});

public sealed class ClientSwitchTests(ClientSwitchServer server) : IClassFixture<ClientSwitchServer>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/actorchat.js")]
    public async Task With_the_page_turned_off_neither_the_page_nor_the_library_is_served(string path)
    {
        using var response = await server.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
