using System.Globalization;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ActorChat.Testing;

/// <summary>
/// The real front end on Kestrel (a port the OS picks) with its embedded silo, shared by the tests of one
/// collection. Rate limits are raised so that tests measure behaviour, not the limiter, except where they test it.
/// A fixture may put it on a fake clock (<see cref="Clock"/>) and keep its log lines (<see cref="Logs"/>).
/// </summary>
public class ChatServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string SigningKey = "test-signing-key-that-is-long-enough-0123456789";
    public const int RequestBurst = 300;

    private readonly IReadOnlyDictionary<string, string> _overrides;
    private readonly bool _ownsData;
    private readonly FakeTimeProvider? _clock;
    private readonly LogCapture? _logs;

    public ChatServer()
        : this(new Dictionary<string, string>())
    {
    }

    /// <summary>A server with some settings changed, for tests of limits.</summary>
    protected ChatServer(IReadOnlyDictionary<string, string> overrides)
        : this(overrides, fakeClock: false, captureLogs: false)
    {
    }

    /// <summary>
    /// A server with some settings changed, on a <see cref="FakeTimeProvider"/> with <paramref name="fakeClock"/>
    /// (its own clock, not Orleans': see <see cref="FakeClock"/>), keeping every log line down to Debug with
    /// <paramref name="captureLogs"/>.
    /// </summary>
    protected ChatServer(IReadOnlyDictionary<string, string> overrides, bool fakeClock, bool captureLogs)
    {
        _overrides = overrides;
        DataDirectory = Path.Combine(Path.GetTempPath(), $"actorchat-test-{Guid.NewGuid():N}");
        _ownsData = true;
        _clock = fakeClock ? new FakeTimeProvider(DateTimeOffset.UtcNow) : null;
        _logs = captureLogs ? new LogCapture() : null;
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

    /// <summary>The server's clock, which moves only when a test advances it.</summary>
    public FakeTimeProvider Clock => _clock ?? throw new InvalidOperationException("This server keeps real time; its fixture did not ask for a fake clock.");

    /// <summary>Every log line so far, down to Debug.</summary>
    public LogCapture Logs => _logs ?? throw new InvalidOperationException("This server's fixture did not ask to keep its log lines.");

    /// <summary>Now, as the server sees it.</summary>
    public DateTimeOffset Now => _clock?.GetUtcNow() ?? DateTimeOffset.UtcNow;

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

    /// <summary>A token from the server's dev login.</summary>
    public async Task<string> TokenAsync(string user)
    {
        using var response = await Http.PostAsJsonAsync("/api/auth/token", new { user });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<TokenBody>();
        return body!.Token;
    }

    /// <summary>
    /// A token signed with the server's key that expires <paramref name="lifetime"/> after the server's now. On a fake
    /// clock use this, not the dev login (<see cref="TokenAsync"/>): that one is valid from the server's now, which
    /// the token handler (on the wall clock) refuses once the fake clock has run ahead.
    /// </summary>
    public string Token(string user, TimeSpan lifetime) => TestTokens.Mint(user, lifetime, Now);

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
        builder.UseSetting("ActorChat:Cluster:SiloPort", FreePorts.Next().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("ActorChat:Cluster:GatewayPort", "0");
        builder.UseSetting("ActorChat:Storage:DataDirectory", DataDirectory);
        builder.UseSetting("ActorChat:Auth:SigningKey", SigningKey);
        builder.UseSetting("ActorChat:Sockets:RequestsPerSecond", "100");
        builder.UseSetting("ActorChat:Sockets:RequestBurst", RequestBurst.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("ActorChat:Rooms:DirectoryInterval", "00:00:00.100");
        foreach (var (key, value) in _overrides)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.ClearProviders());
        if (_logs is not null)
        {
            builder.UseSetting("Logging:LogLevel:Default", "Debug");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Debug");
            builder.UseSetting("Logging:LogLevel:Orleans", "Debug");
            builder.ConfigureLogging(logging => logging.AddProvider(_logs));
        }

        if (_clock is not null)
        {
            builder.ConfigureTestServices(services => services.UseFakeClock(_clock));
        }
    }

    /// <summary>A REST request carrying a bearer token.</summary>
    public static HttpRequestMessage Authorized(HttpMethod method, string path, string token)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private sealed record TokenBody(string Token);

    private sealed record TicketBody(string Ticket, DateTimeOffset ExpiresAt);
}
