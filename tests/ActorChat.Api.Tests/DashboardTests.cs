using System.Net;

namespace ActorChat.Api.Tests;

/// <summary>A server whose dashboard needs a key.</summary>
public sealed class DashboardServer() : ChatServer(new Dictionary<string, string>
{
    ["ActorChat:Dashboard:Key"] = "operators-only-key",
});

public sealed class DashboardTests(DashboardServer server) : IClassFixture<DashboardServer>
{
    [Fact]
    public async Task The_dashboard_needs_its_key_once_and_then_the_cookie_carries_it()
    {
        using var anonymous = await server.Http.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var wrong = await server.Http.GetAsync("/dashboard/?key=guess");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = server.BaseAddress };
        using var opened = await browser.GetAsync("/dashboard/?key=operators-only-key");
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        using var again = await browser.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        // The chat itself is not behind the dashboard key.
        using var health = await server.Http.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
