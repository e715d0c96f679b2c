using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace ActorChat.Api.Tests;

/// <summary>A deployed server with a management listener, a dashboard key and the dev login turned on by name.</summary>
public sealed class ManagedServer() : ProductionServer(new Dictionary<string, string>
{
    ["ActorChat:Management:Urls"] = $"http://127.0.0.1:{FreePorts.Next()}",
    ["ActorChat:Dashboard:Key"] = DashboardTests.Key,
    ["ActorChat:Auth:DevLogin"] = "true",
});

/// <summary>Operators' endpoints answer on the management listener only; users' endpoints on the public one only.</summary>
public sealed class ManagementListenerTests(ManagedServer server) : IClassFixture<ManagedServer>, IDisposable
{
    private HttpClient Management { get; } = new() { BaseAddress = server.ManagementAddress };

    public void Dispose() => Management.Dispose();

    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/Trace")]
    [InlineData("/metrics")]
    public async Task The_public_listener_does_not_serve_the_dashboard_or_metrics_even_with_the_key(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Dashboard-Key", DashboardTests.Key);
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        // The Host header is the caller's to write: naming the management port in it changes nothing.
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, path);
        spoofed.Headers.Host = $"127.0.0.1:{server.ManagementAddress!.Port}";
        using var stillRefused = await server.Http.SendAsync(spoofed);
        Assert.Equal(HttpStatusCode.NotFound, stillRefused.StatusCode);
    }

    [Fact]
    public async Task The_management_listener_serves_the_dashboard_with_its_key_and_metrics()
    {
        using var anonymous = await Management.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        request.Headers.Add("X-Dashboard-Key", DashboardTests.Key);
        using var dashboard = await Management.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);

        var metrics = await Management.GetStringAsync("/metrics");
        Assert.Contains("# TYPE", metrics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Both_listeners_answer_the_health_probes(string path)
    {
        using var onPublic = await server.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, onPublic.StatusCode);
        using var onManagement = await Management.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, onManagement.StatusCode);
    }

    [Fact]
    public async Task The_chat_is_served_on_the_public_listener_only()
    {
        // DevLogin=true set by name turns the dev login on outside Development.
        using var token = await server.Http.PostAsJsonAsync("/api/auth/token", new { user = "operator" });
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);

        using var onManagement = await Management.PostAsync("/api/auth/token", new StringContent("""{"user":"operator"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, onManagement.StatusCode);
        using var page = await Management.GetAsync("/");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
    }
}
