using System.Globalization;
using System.Net;

namespace ActorChat.Cluster.Tests;

/// <summary>The standalone silo host keeps its dashboard and metrics on the management listener, as front ends do.</summary>
public sealed class SiloManagementTests : IAsyncLifetime, IDisposable
{
    private const string Key = "silo-operators-key-0123";
    private readonly string _logs = Directory.CreateTempSubdirectory("actorchat-silo-management-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private NodeProcess? _silo;

    public Task InitializeAsync() => Task.CompletedTask;

    // xUnit 2 calls IAsyncLifetime on a test class, not IAsyncDisposable: the silo would outlive the test run.
    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        Directory.Delete(_logs, recursive: true);
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_silo_serves_the_dashboard_and_metrics_on_its_management_port_only()
    {
        var publicUrl = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
        var managementUrl = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
        var output = LocalCluster.BuildOutput("silo/ActorChat.Silo");
        _silo = NodeProcess.Start("silo", "dotnet",
        [
            Path.Combine(output, "ActorChat.Silo.dll"),
            "--urls", publicUrl.ToString(),
            "--ActorChat:Management:Urls", managementUrl.ToString(),
            "--ActorChat:Dashboard:Key", Key,
            "--ActorChat:Storage:Provider", "Memory",
            "--ActorChat:Cluster:SiloPort", FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            "--ActorChat:Cluster:GatewayPort", "0",
        ], output, _logs);
        await WaitLiveAsync(managementUrl);

        foreach (var path in new[] { "/dashboard/", "/metrics" })
        {
            using var onPublic = await GetAsync(publicUrl, path, withKey: true);
            Assert.Equal(HttpStatusCode.NotFound, onPublic.StatusCode);
        }

        using var anonymous = await GetAsync(managementUrl, "/dashboard/", withKey: false);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var dashboard = await GetAsync(managementUrl, "/dashboard/", withKey: true);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        using var metrics = await GetAsync(managementUrl, "/metrics", withKey: false);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        using var health = await GetAsync(publicUrl, "/health/ready", withKey: false);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private async Task<HttpResponseMessage> GetAsync(Uri server, string path, bool withKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, path));
        if (withKey)
        {
            request.Headers.Add("X-Dashboard-Key", Key);
        }

        return await _http.SendAsync(request);
    }

    /// <summary>A process gives no signal when it is ready, so its health endpoint is asked until it answers.</summary>
    private async Task WaitLiveAsync(Uri server)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            Assert.False(_silo!.HasExited, $"the silo exited; log in {_logs}");
            try
            {
                using var response = await _http.GetAsync(new Uri(server, "/health/ready"), deadline.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200, deadline.Token);
        }
    }
}
