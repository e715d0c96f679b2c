using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorChat.Api.Tests;

/// <summary>
/// The real front end on Kestrel (a port the OS picks) with its embedded silo, shared by the tests of one
/// collection. Rate limits are raised so that tests measure behaviour, not the limiter, except where they test it.
/// </summary>
public class ChatServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string SigningKey = "test-signing-key-that-is-long-enough-0123456789";
    public const int RequestBurst = 300;

    private readonly IReadOnlyDictionary<string, string> _overrides;
    private readonly bool _ownsData;

    public ChatServer()
        : this(new Dictionary<string, string>())
    {
    }

    /// <summary>A server with some settings changed, for tests of limits.</summary>
    protected ChatServer(IReadOnlyDictionary<string, string> overrides)
    {
        _overrides = overrides;
        DataDirectory = Path.Combine(Path.GetTempPath(), $"actorchat-test-{Guid.NewGuid():N}");
        _ownsData = true;
    }

    /// <summary>A server on a data directory the test owns, so a second server can start where this one stopped.</summary>
    protected ChatServer(string dataDirectory)
    {
        _overrides = new Dictionary<string, string>();
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public Uri SocketAddress => new UriBuilder(BaseAddress) { Scheme = "ws", Path = "/ws" }.Uri;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The management listener's address, when the settings name one (<c>ActorChat:Management:Urls</c>).</summary>
    public Uri? ManagementAddress => _overrides.TryGetValue("ActorChat:Management:Urls", out var urls) ? new Uri(urls) : null;

    public Task InitializeAsync()
    {
        UseKestrel(0);
        StartServer();

        // The factory takes the server's last address; with a management listener that is not the public one.
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        ClientOptions.BaseAddress = addresses.Select(a => new Uri(a)).First(a => a.Port != ManagementAddress?.Port);
        Http = CreateClient();
        BaseAddress = Http.BaseAddress!;
        return Task.CompletedTask;
    }

    public new async Task DisposeAsync()
    {
        Http.Dispose();
        await base.DisposeAsync();
        if (_ownsData)
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    public async Task<string> TokenAsync(string user)
    {
        using var response = await Http.PostAsJsonAsync("/api/auth/token", new { user });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<TokenBody>();
        return body!.Token;
    }

    public async Task<ChatClient> ConnectAsync(string user) => await ChatClient.ConnectAsync(SocketAddress, await TokenAsync(user));

    /// <summary>A one-use ticket for <paramref name="token"/>'s user (<c>POST /api/auth/ticket</c>), as browsers get before each connect.</summary>
    public async Task<(string Ticket, DateTimeOffset ExpiresAt)> TicketAsync(string token)
    {
        using var request = Authorized(HttpMethod.Post, "/api/auth/ticket", token);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<TicketBody>();
        return (body!.Ticket, body.ExpiresAt);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ActorChat:Cluster:SiloPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("ActorChat:Cluster:GatewayPort", "0");
        builder.UseSetting("ActorChat:Storage:DataDirectory", DataDirectory);
        builder.UseSetting("ActorChat:Auth:SigningKey", SigningKey);
        builder.UseSetting("ActorChat:Rooms:ChunkSize", "32");
        builder.UseSetting("ActorChat:Sockets:RequestsPerSecond", "100");
        builder.UseSetting("ActorChat:Sockets:RequestBurst", RequestBurst.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("ActorChat:Streams:PollInterval", "00:00:00.005");
        builder.UseSetting("ActorChat:Rooms:DirectoryInterval", "00:00:00.100");
        foreach (var (key, value) in _overrides)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.ClearProviders());
    }

    /// <summary>A REST request carrying a bearer token.</summary>
    public static HttpRequestMessage Authorized(HttpMethod method, string path, string token)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record TokenBody(string Token);

    private sealed record TicketBody(string Ticket, DateTimeOffset ExpiresAt);
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ChatServer>
{
    public const string Name = "server";
}
