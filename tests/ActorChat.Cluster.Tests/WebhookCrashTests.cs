using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ActorChat.Testing;

namespace ActorChat.Cluster.Tests;

/// <summary>A webhook is never lost: not even when the server is killed (SIGKILL) after the send's ok and before delivery.</summary>
public sealed class WebhookCrashTests : IAsyncLifetime
{
    private const string SigningKey = "webhook-crash-test-signing-key-0123456789";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("actorchat-webhook-crash-").FullName;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_server_killed_between_the_ok_and_the_delivery_delivers_the_event_after_restart()
    {
        // The receiver holds the first attempt open, so the kill lands while the event is sent but not delivered.
        _receiver.Delay = TimeSpan.FromMinutes(5);
        long seq;
        string deliveryId;
        await using (var first = await StartAsync("node-1"))
        {
            var (http, process) = first;
            await using var alice = await ChatClient.ConnectAsync(Socket(http), await TokenAsync(http, "alice"));
            await alice.OkAsync("join", ("room", "crash"));
            seq = (await alice.OkAsync("send", ("room", "crash"), ("text", "deliver me"))).Seq();

            var attempt = await _receiver.NextAttemptAsync(Deadline);
            deliveryId = attempt.DeliveryId;
            await process.KillHardAsync();
            Assert.Empty(_receiver.Drain());
        }

        _receiver.Delay = TimeSpan.Zero;
        await using var second = await StartAsync("node-2");
        var delivered = await _receiver.NextAsync(Deadline, d => d.DeliveryId == deliveryId);
        using var body = JsonDocument.Parse(delivered.Body);
        Assert.Equal("message.created", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(seq, body.RootElement.GetProperty("data").GetProperty("seq").GetInt64());
        Assert.Equal("deliver me", body.RootElement.GetProperty("data").GetProperty("text").GetString());

        // The embedded silo's store and webhook meters are exported beside the front end's.
        using (var http = new HttpClient())
        {
            var metrics = await http.GetStringAsync(new Uri(second.Http, "/metrics"));
            Assert.Contains("actorchat_store_commits_total", metrics, StringComparison.Ordinal);
            Assert.Contains("actorchat_webhooks_oldest_pending_age_seconds", metrics, StringComparison.Ordinal);
        }

        await second.Process.TerminateAsync(TimeSpan.FromSeconds(30));
    }

    private async Task<Server> StartAsync(string name)
    {
        var port = FreePorts.Next();
        var output = LocalCluster.BuildOutput("api/ActorChat.Api");
        string[] arguments =
        [
            Path.Combine(output, "ActorChat.Api.dll"),
            "--urls", $"http://127.0.0.1:{port}",
            "--ActorChat:Cluster:SiloPort", FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            "--ActorChat:Cluster:GatewayPort", "0",
            "--ActorChat:Storage:DataDirectory", Path.Combine(_directory, "data"),
            "--ActorChat:Auth:SigningKey", SigningKey,
            "--ActorChat:Auth:DevLogin", "true",
            "--ActorChat:Webhooks:Endpoints:0:Name", "app",
            "--ActorChat:Webhooks:Endpoints:0:Url", _receiver.Url.ToString(),
            "--ActorChat:Webhooks:Endpoints:0:Secret", "webhook-crash-secret",
            "--ActorChat:Webhooks:Endpoints:0:Events:0", "message.created",
            "--ActorChat:Webhooks:Timeout", "00:00:02",
            "--ActorChat:Webhooks:PollInterval", "00:00:00.100",
            "--ActorChat:Webhooks:InitialBackoff", "00:00:00.200",
            "--Logging:LogLevel:Default", "Warning",
        ];
        var process = NodeProcess.Start(name, "dotnet", arguments, output, _directory);
        var http = new Uri($"http://127.0.0.1:{port}");
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            Assert.False(process.HasExited, $"{name} exited during start-up; see {_directory}/{name}.log");
            try
            {
                using var ready = await client.GetAsync(new Uri(http, "/health/ready"), deadline.Token);
                if (ready.IsSuccessStatusCode)
                {
                    return new Server(http, process);
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    private static Uri Socket(Uri http) => new UriBuilder(http) { Scheme = "ws", Path = "/ws" }.Uri;

    private static async Task<string> TokenAsync(Uri http, string user)
    {
        using var client = new HttpClient { BaseAddress = http };
        using var response = await client.PostAsJsonAsync("/api/auth/token", new { user });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private sealed record Server(Uri Http, NodeProcess Process) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }
}
