using System.Net;
using System.Net.Http.Json;

namespace ActorChat.Api.Tests;

/// <summary>A Development server whose dev login was turned off by name.</summary>
public sealed class DevLoginOffServer() : ChatServer(new Dictionary<string, string>
{
    ["ActorChat:Auth:DevLogin"] = "false",
});

/// <summary>The dev login hands a token to anyone who names a user, so a deployed server has it off unless told.</summary>
public sealed class DevLoginTests(ProductionServer production, DevLoginOffServer developmentOff)
    : IClassFixture<ProductionServer>, IClassFixture<DevLoginOffServer>
{
    [Fact]
    public async Task Outside_development_the_dev_login_is_off_unless_set()
    {
        using var response = await production.Http.PostAsJsonAsync("/api/auth/token", new { user = "mallory" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task In_development_an_explicit_false_turns_it_off()
    {
        using var response = await developmentOff.Http.PostAsJsonAsync("/api/auth/token", new { user = "mallory" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
