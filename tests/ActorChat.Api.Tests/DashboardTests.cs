using System.Net;
using System.Net.Http.Json;

namespace ActorChat.Api.Tests;

/// <summary>
/// A server whose dashboard needs a key (in Development, where it would otherwise be open), and whose dev login is
/// turned off by name (on by default in Development).
/// </summary>
public sealed class DashboardServer() : ChatServer(new Dictionary<string, string>
{
    ["ActorChat:Dashboard:Key"] = DashboardTests.Key,
    ["ActorChat:Auth:DevLogin"] = "false",
});

public sealed class DashboardTests(DashboardServer server) : IClassFixture<DashboardServer>
{
    public const string Key = "operators-only-key";

    [Fact]
    public async Task The_dashboard_needs_its_key_once_and_then_the_cookie_carries_it()
    {
        using var anonymous = await server.Http.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var wrong = await server.Http.GetAsync("/dashboard/?key=guess");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = server.BaseAddress };
        using var opened = await browser.GetAsync($"/dashboard/?key={Key}");
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        using var again = await browser.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        // The chat itself is not behind the dashboard key.
        using var health = await server.Http.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task The_cookie_holds_a_value_derived_from_the_key_not_the_key()
    {
        using var handler = new HttpClientHandler { UseCookies = false };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };
        using var opened = await client.GetAsync($"/dashboard/?key={Key}");
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var cookie = Assert.Single(opened.Headers.GetValues("Set-Cookie"));
        Assert.DoesNotContain(Key, cookie, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(Key), cookie, StringComparison.Ordinal);
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("path=/dashboard", attributes);
        Assert.DoesNotContain("secure", attributes);

        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        withCookie.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var served = await client.SendAsync(withCookie);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);

        // The key itself in the cookie opens nothing: only the derived value does.
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        forged.Headers.Add("Cookie", $"actorchat-dashboard={Key}");
        using var refused = await client.SendAsync(forged);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task In_development_an_explicit_false_turns_the_dev_login_off()
    {
        using var response = await server.Http.PostAsJsonAsync("/api/auth/token", new { user = "mallory" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_key_in_a_header_opens_the_dashboard_without_a_cookie()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        request.Headers.Add("X-Dashboard-Key", Key);
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }
}
