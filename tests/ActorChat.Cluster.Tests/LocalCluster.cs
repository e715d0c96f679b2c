using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using ActorChat.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorChat.Cluster.Tests;

/// <summary>
/// A real cluster of processes on loopback ports the OS picks: PostgreSQL (rooms and messages), Redis (membership
/// and stream subscriptions; append-only, fsync always), silos and front ends in client mode. Every process is
/// stopped by its PID.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    public const string SigningKey = "cluster-test-signing-key-0123456789abcdef";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);
    private readonly List<NodeProcess> _processes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private IHost? _clientHost;

    private LocalCluster(string directory) => Directory = directory;

    public string Directory { get; }

    public int RedisPort { get; private set; }

    /// <summary>The cluster's database, which a test may stop and start again.</summary>
    public ActorChat.Testing.PostgresServer Postgres { get; private set; } = null!;

    private string _database = string.Empty;

    public List<Node> Silos { get; } = [];

    public List<Node> FrontEnds { get; } = [];

    public IClusterClient Client => _clientHost!.Services.GetRequiredService<IClusterClient>();

    public static async Task<LocalCluster> StartAsync(int silos, int frontEnds)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"actorchat-cluster-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        var cluster = new LocalCluster(directory);
        try
        {
            await cluster.StartRedisAsync();
            cluster.Postgres = await ActorChat.Testing.PostgresServer.StartAsync();
            cluster._database = await cluster.Postgres.CreateDatabaseAsync("actorchat");
            cluster.Silos.AddRange(await Task.WhenAll(Enumerable.Range(1, silos).Select(i => cluster.StartReadyAsync(() => cluster.StartSilo($"silo{i}")))));
            cluster.FrontEnds.AddRange(await Task.WhenAll(Enumerable.Range(1, frontEnds).Select(i => cluster.StartReadyAsync(() => cluster.StartFrontEnd($"api{i}")))));
            await cluster.StartClientAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task<string> TokenAsync(Node frontEnd, string user)
    {
        using var response = await _http.PostAsJsonAsync(new Uri(frontEnd.Http, "/api/auth/token"), new { user });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>A one-use ticket from <paramref name="frontEnd"/> for a socket (on any front end).</summary>
    public async Task<string> TicketAsync(Node frontEnd, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(frontEnd.Http, "/api/auth/ticket"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("ticket").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_clientHost is not null)
        {
            try
            {
                await _clientHost.StopAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is OperationCanceledException or OrleansException)
            {
            }

            _clientHost.Dispose();
        }

        foreach (var process in Enumerable.Reverse(_processes))
        {
            await process.DisposeAsync();
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }

        _http.Dispose();
    }

    /// <summary>Where each process's log went, for a failing test's message.</summary>
    public string LogHint => $"logs in {Directory}";

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ActorChat.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ActorChat.sln not found above the test binaries.");
    }

    internal static string BuildOutput(string project)
    {
        // The test binaries sit in bin/<Configuration>/net10.0; the servers were built the same way.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        return Path.Combine(RepositoryRoot(), project, "bin", configuration, "net10.0");
    }

    private async Task StartRedisAsync()
    {
        RedisPort = FreePorts.Next();
        var data = Path.Combine(Directory, "redis");
        System.IO.Directory.CreateDirectory(data);
        var redis = NodeProcess.Start("redis", "redis-server",
            ["--port", RedisPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--appendonly", "yes",
             "--appendfsync", "always", "--save", "", "--dir", data, "--protected-mode", "no"],
            Directory, Directory);
        _processes.Add(redis);
        using var deadline = new CancellationTokenSource(StartDeadline);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, RedisPort, deadline.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, deadline.Token);
            }
        }
    }

    private IEnumerable<string> CommonSettings() =>
    [
        "--ActorChat:Redis", $"127.0.0.1:{RedisPort}",
        "--ActorChat:Cluster:Membership", "Redis",
        "--ActorChat:Cluster:AdvertisedAddress", "127.0.0.1",
        "--ActorChat:Cluster:ClusterId", "test",
        "--ActorChat:Cluster:ServiceId", "test",
        "--ActorChat:Cluster:Liveness:ProbeTimeout", "00:00:01",
        "--ActorChat:Cluster:Liveness:NumMissedProbesLimit", "2",
        "--ActorChat:Cluster:Liveness:NumVotesForDeathDeclaration", "1",
        "--ActorChat:Cluster:Liveness:TableRefreshTimeout", "00:00:02",
        "--ActorChat:Cluster:Messaging:ResponseTimeout", "00:00:05",
        "--ActorChat:Storage:Provider", "Postgres",
        "--ActorChat:Storage:ConnectionString", _database,
        "--Logging:LogLevel:Default", "Warning",
        "--Logging:LogLevel:ActorChat", "Information",
    ];

    private Node StartSilo(string name)
    {
        var http = FreePorts.Next();
        var siloPort = FreePorts.Next();
        var gateway = FreePorts.Next();
        string[] arguments =
        [
            Path.Combine(BuildOutput("silo/ActorChat.Silo"), "ActorChat.Silo.dll"),
            "--urls", $"http://127.0.0.1:{http}",
            "--ActorChat:Cluster:SiloPort", siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--ActorChat:Cluster:GatewayPort", gateway.ToString(System.Globalization.CultureInfo.InvariantCulture),
            .. CommonSettings(),
        ];
        var process = NodeProcess.Start(name, "dotnet", arguments, BuildOutput("silo/ActorChat.Silo"), Directory);
        _processes.Add(process);
        return new Node(name, process, new Uri($"http://127.0.0.1:{http}"), siloPort);
    }

    private Node StartFrontEnd(string name)
    {
        var http = FreePorts.Next();
        string[] arguments =
        [
            Path.Combine(BuildOutput("api/ActorChat.Api"), "ActorChat.Api.dll"),
            "--urls", $"http://127.0.0.1:{http}",
            "--ActorChat:Hosting:Mode", "Client",
            "--ActorChat:Auth:SigningKey", SigningKey,
            "--ActorChat:Auth:DevLogin", "true",
            "--ActorChat:Relay:CheckInterval", "00:00:01",
            "--ActorChat:Sockets:RequestsPerSecond", "1000",
            "--ActorChat:Sockets:RequestBurst", "1000",
            .. CommonSettings(),
        ];
        var process = NodeProcess.Start(name, "dotnet", arguments, BuildOutput("api/ActorChat.Api"), Directory);
        _processes.Add(process);
        return new Node(name, process, new Uri($"http://127.0.0.1:{http}"), SiloPort: 0);
    }

    // A port handed out free can be taken by a parallel test before the node binds it (seen on a busy machine): such
    // a node is started again, on new ports.
    private async Task<Node> StartReadyAsync(Func<Node> start)
    {
        for (var attempt = 1; ; attempt++)
        {
            var node = start();
            try
            {
                await WaitReadyAsync(node);
                return node;
            }
            catch (InvalidOperationException) when (attempt < 3 && node.Process.HasExited && PortWasTaken(node))
            {
                // The next attempt logs under the same name; this one's log is kept beside it.
                File.Move(LogOf(node), Path.ChangeExtension(LogOf(node), $"attempt{attempt}.log"));
            }
        }
    }

    private string LogOf(Node node) => Path.Combine(Directory, $"{node.Name}.log");

    private bool PortWasTaken(Node node) => File.ReadAllText(LogOf(node)).Contains("address already in use", StringComparison.OrdinalIgnoreCase);

    private async Task WaitReadyAsync(Node node)
    {
        using var deadline = new CancellationTokenSource(StartDeadline);
        while (true)
        {
            if (node.Process.HasExited)
            {
                throw new InvalidOperationException($"{node.Name} exited during start-up; {LogHint}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri(node.Http, "/health/ready"), deadline.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
            {
            }

            await Task.Delay(200, deadline.Token);
        }
    }

    private async Task StartClientAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ActorChat:Redis"] = $"127.0.0.1:{RedisPort}",
            ["ActorChat:Cluster:Membership"] = "Redis",
            ["ActorChat:Cluster:ClusterId"] = "test",
            ["ActorChat:Cluster:ServiceId"] = "test",
        }).Build();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client.UseActorChatCluster(configuration));
        _clientHost = builder.Build();
        await _clientHost.StartAsync();
    }
}

public sealed record Node(string Name, NodeProcess Process, Uri Http, int SiloPort)
{
    public Uri Socket => new UriBuilder(Http) { Scheme = "ws", Path = "/ws" }.Uri;
}
