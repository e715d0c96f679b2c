using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ActorChat.Bench.Load;

namespace ActorChat.Bench.Servers;

/// <summary>
/// A server under test running as a child process on a free loopback port (or an existing URL), with the means
/// to connect clients to it and to read its resident memory and CPU time from /proc.
/// </summary>
internal sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private string? _dataDirectory;
    private readonly Lazy<BlockDevice?> _disk;
    private ActorChat.Testing.PostgresServer? _postgres;

    private ServerUnderTest(string kind, Uri baseAddress, string signIn)
    {
        Kind = kind;
        BaseAddress = baseAddress;
        SignIn = signIn;
        _disk = new Lazy<BlockDevice?>(FindDisk);
    }

    public string Kind { get; }

    public Uri BaseAddress { get; }

    /// <summary>How ActorChat sockets sign in: <c>subprotocol</c> or <c>ticket</c> (<see cref="BenchOptions.SignIn"/>).</summary>
    public string SignIn { get; }

    /// <summary>The process whose memory and CPU are reported (the front end for ActorChat).</summary>
    public Process? Measured => _processes.Count == 0 ? null : _processes[^1];

    public bool SpeaksActorChat => Kind.StartsWith("actorchat", StringComparison.Ordinal);

    public static async Task<ServerUnderTest> StartAsync(string kind, BenchOptions options)
    {
        if (options.Url is not null)
        {
            return new ServerUnderTest(kind, options.Url, options.SignIn);
        }

        var port = FreePort();
        var server = new ServerUnderTest(kind, new Uri($"http://127.0.0.1:{port}"), options.SignIn);
        try
        {
            switch (kind)
            {
                case "actorchat":
                    server._dataDirectory = Path.Combine(Path.GetTempPath(), $"actorchat-bench-{Guid.NewGuid():N}");
                    server.StartDotnet(Paths.Output("api/ActorChat.Api", "ActorChat.Api.dll"),
                        ["--urls", server.BaseAddress.ToString(), "--ActorChat:Cluster:SiloPort", FreePort().ToString(CultureInfo.InvariantCulture),
                         "--ActorChat:Auth:DevLogin", "true",
                         "--ActorChat:Storage:DataDirectory", server._dataDirectory, .. ActorChatBenchSettings(options)], options.Pin?.Server);
                    break;
                case "actorchat-postgres":
                    server.StartDotnet(Paths.Output("api/ActorChat.Api", "ActorChat.Api.dll"),
                        ["--urls", server.BaseAddress.ToString(), "--ActorChat:Cluster:SiloPort", FreePort().ToString(CultureInfo.InvariantCulture),
                         "--ActorChat:Auth:DevLogin", "true", .. await server.PostgresSettingsAsync(options.Pin?.Server), .. ActorChatBenchSettings(options)], options.Pin?.Server);
                    break;
                case "actorchat-cluster":
                    // A silo and a front end in processes of their own, the silo storing in PostgreSQL as clusters do.
                    var gateway = FreePort();
                    server.StartDotnet(Paths.Output("silo/ActorChat.Silo", "ActorChat.Silo.dll"),
                        ["--urls", $"http://127.0.0.1:{FreePort()}", "--ActorChat:Cluster:SiloPort", FreePort().ToString(CultureInfo.InvariantCulture),
                         "--ActorChat:Cluster:GatewayPort", gateway.ToString(CultureInfo.InvariantCulture),
                         .. await server.PostgresSettingsAsync(options.Pin?.Silo), .. ActorChatBenchSettings(options)], options.Pin?.Silo);
                    server.StartDotnet(Paths.Output("api/ActorChat.Api", "ActorChat.Api.dll"),
                        ["--urls", server.BaseAddress.ToString(), "--ActorChat:Hosting:Mode", "Client", "--ActorChat:Auth:DevLogin", "true",
                         "--ActorChat:Cluster:Gateways:0", $"127.0.0.1:{gateway}", .. ActorChatBenchSettings(options)], options.Pin?.Server);
                    break;
                case "signalr":
                    server.StartDotnet(Paths.Self, ["serve-signalr", "--port", port.ToString(CultureInfo.InvariantCulture)], options.Pin?.Server);
                    break;
                case "raw":
                    server.StartDotnet(Paths.Self, ["serve-raw", "--port", port.ToString(CultureInfo.InvariantCulture)], options.Pin?.Server);
                    break;
                default:
                    throw new ArgumentException($"Unknown server '{kind}' (actorchat, actorchat-postgres, actorchat-cluster, signalr, raw).");
            }

            await server.WaitReadyAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task<IChatDriver> ConnectAsync(string user, CancellationToken cancellationToken)
    {
        if (Kind == "signalr")
        {
            return await SignalRDriver.ConnectAsync(new Uri(BaseAddress, "/hub"), cancellationToken);
        }

        var socket = new UriBuilder(BaseAddress) { Scheme = "ws", Path = "/ws" };
        if (!SpeaksActorChat)
        {
            socket.Query = $"user={user}";
            return await SocketDriver.ConnectAsync(socket.Uri, subprotocols: [], cancellationToken);
        }

        return await ConnectWithTokenAsync(_tokens.TryRemove(user, out var ahead) ? ahead : await TokenAsync(user), cancellationToken);
    }

    /// <summary>
    /// Calls the server API (<c>/api/server/</c>) as a backend would, with the key every ActorChat server under test
    /// is started with (scopes <c>rooms</c>, <c>read</c>, <c>publish</c> and <c>users</c>).
    /// </summary>
    public Task ServerApiAsync(HttpMethod method, string path, CancellationToken cancellationToken) => ServerApiAsync(method, path, body: null, cancellationToken);

    /// <inheritdoc cref="ServerApiAsync(HttpMethod, string, CancellationToken)"/>
    public async Task ServerApiAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseAddress, $"/api/server/{path}"));
        if (body is not null)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(body);
        }

        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", ServerApiSecret);
        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{method} /api/server/{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>An ActorChat socket signed in with <paramref name="token"/> as a browser does (<see cref="SignIn"/>).</summary>
    public async Task<SocketDriver> ConnectWithTokenAsync(string token, CancellationToken cancellationToken)
    {
        var socket = new UriBuilder(BaseAddress) { Scheme = "ws", Path = "/ws" };
        if (SignIn == "subprotocol")
        {
            return await SocketDriver.ConnectAsync(socket.Uri, ["actorchat", $"actorchat.bearer.{token}"], cancellationToken);
        }

        socket.Query = await TicketQueryAsync(token);
        return await SocketDriver.ConnectAsync(socket.Uri, subprotocols: [], cancellationToken);
    }

    /// <summary>Signs <paramref name="users"/> in now, so that their connects later use these tokens (<c>--tokens ahead</c>).</summary>
    public async Task PrepareTokensAsync(IEnumerable<string> users, CancellationToken cancellationToken)
    {
        if (!SpeaksActorChat)
        {
            return;
        }

        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (user, _) =>
            _tokens[user] = await TokenAsync(user));
    }

    public async Task<string> TokenAsync(string user)
    {
        using var response = await _http.PostAsJsonAsync(new Uri(BaseAddress, "/api/auth/token"), new { user });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>A one-use ticket for a socket or an event stream, bought with <paramref name="token"/>.</summary>
    public async Task<string> TicketAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress, "/api/auth/ticket"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticket").GetString()!;
    }

    // What a browser does for each connect: sign in (counted in the idle scenario's connects per second), then offer
    // the token as the socket's subprotocol, or with --sign-in ticket trade it for a one-use ticket first (one request
    // more). The baselines take a user name. Releases before tickets (driven with --url, for a before/after figure)
    // took the token in the query.
    private async Task<string> TicketQueryAsync(string token)
    {
        try
        {
            return $"ticket={Uri.EscapeDataString(await TicketAsync(token))}";
        }
        catch (HttpRequestException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return $"access_token={Uri.EscapeDataString(token)}";
        }
    }

    /// <summary>Resident memory of the measured process, in bytes.</summary>
    public long ResidentBytes() => ReadProc(Measured, "status", text =>
    {
        var line = text.Split('\n').First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    });

    /// <summary>The measured process's managed heap after its last GC (all generations), from its <c>/metrics</c>.</summary>
    public async Task<long> ManagedHeapBytesAsync()
    {
        var text = await _http.GetStringAsync(new Uri(BaseAddress, "/metrics"));
        return (long)text.Split('\n')
            .Where(l => l.StartsWith("dotnet_gc_last_collection_heap_size_bytes{", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The managed heap after a full, blocking collection of the measured process, induced through its diagnostics
    /// port the way <c>dotnet-gcdump</c> does (an EventPipe session asking for a heap collection): what the heap
    /// holds alive, without the garbage that <see cref="ManagedHeapBytesAsync"/> counts until gen 2 is next collected.
    /// </summary>
    public async Task<long> LiveHeapBytesAsync(CancellationToken cancellationToken)
    {
        var process = Measured ?? throw new InvalidOperationException("No process to measure.");
        var before = await Gen2CollectionsAsync();
        const long gcHeapCollect = 0x800000;
        var client = new Microsoft.Diagnostics.NETCore.Client.DiagnosticsClient(process.Id);
        using (var session = await client.StartEventPipeSessionAsync(
            [new Microsoft.Diagnostics.NETCore.Client.EventPipeProvider("Microsoft-Windows-DotNETRuntime", System.Diagnostics.Tracing.EventLevel.Informational, gcHeapCollect | 0x1)],
            requestRundown: false, circularBufferMB: 16, cancellationToken))
        {
            // The session's events are not needed, only the collection it causes: drain them so the runtime never waits on a full buffer.
            var drain = session.EventStream.CopyToAsync(Stream.Null, cancellationToken);

            // The collection is asked for, not awaited: the server's own count of gen-2 collections says when it ran.
            var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
            while (await Gen2CollectionsAsync() <= before)
            {
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new TimeoutException($"Process {process.Id} ran no full collection within 30 s of being asked for one.");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }

            await session.StopAsync(cancellationToken);
            await drain;
        }

        return await ManagedHeapBytesAsync();
    }

    private async Task<double> Gen2CollectionsAsync()
    {
        var text = await _http.GetStringAsync(new Uri(BaseAddress, "/metrics"));
        return text.Split('\n')
            .Where(l => l.StartsWith("dotnet_gc_collections_total{", StringComparison.Ordinal) && l.Contains("gen2", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Bytes written so far to the block device that holds this server's data (its SQLite directory, or the
    /// PostgreSQL server's): what reached the disk, journal included (see <see cref="BlockDevice"/>). Where the data
    /// is on no block device, the bytes its processes dirtied (<c>/proc/PID/io</c> write_bytes, which overcounts
    /// on kernels with large page-cache folios): its own processes and, on PostgreSQL, the database's.
    /// </summary>
    public long DiskWriteBytes()
    {
        if (_disk.Value is { } device)
        {
            return device.BytesWritten();
        }

        var pids = _processes.Where(p => !p.HasExited).Select(p => p.Id).ToList();
        if (_postgres?.Pid is { } postmaster and > 0)
        {
            pids.Add(postmaster);
            pids.AddRange(ChildrenOf(postmaster));
        }

        return pids.Sum(pid => ReadIo(pid, "write_bytes"));
    }

    /// <summary>Before a disk measurement: flushes what the machine already has dirty, so that only the run is counted.</summary>
    public void SettleDisk()
    {
        if (_disk.Value is not null)
        {
            BlockDevice.Settle();
        }
    }

    private BlockDevice? FindDisk()
    {
        var directory = _postgres?.Directory ?? _dataDirectory;
        var device = directory is null ? null : BlockDevice.Of(directory);
        Console.Error.WriteLine(device is null
            ? $"  {Kind}: data on no block device; disk writes are the processes' write_bytes"
            : $"  {Kind}: disk writes counted on block device {device.Name}");
        return device;
    }

    /// <summary>CPU seconds (user + system) used so far by every process of this server.</summary>
    public double CpuSeconds() => _processes.Sum(p => ReadProc(p, "stat", text =>
    {
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    })) / 100.0;

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        _http.Dispose();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        if (_dataDirectory is not null && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    // The bench's backend key (member-depth, user-rooms and erase use it); a server started elsewhere (--url) does not know it.
    private const string ServerApiSecret = "actorchat-bench-server-api-key";

    // Limits that protect a public server would throttle the load generator itself. With stalled clients the
    // outbound queue keeps its default, since the point is to see slow consumers cut off or held back.
    private static string[] ActorChatBenchSettings(BenchOptions options) =>
    [
        "--ActorChat:Sockets:RequestsPerSecond", "1000000",
        "--ActorChat:Sockets:RequestBurst", "1000000",
        "--ActorChat:Sockets:MaxConnectionsPerUser", "1000000",
        "--ActorChat:Sockets:MaxConnectionsPerNode", "10000000",
        .. options.Stalled > 0 || options.Scenario == "stalled-reader" ? Array.Empty<string>() : ["--ActorChat:Sockets:OutboundQueueMessages", "100000", "--ActorChat:Sockets:OutboundQueueBytes", "268435456"],
        "--ActorChat:Rooms:PresenceMemberLimit", "100",
        "--ActorChat:ServerApi:Keys:0:Name", "bench",
        "--ActorChat:ServerApi:Keys:0:Hash", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ServerApiSecret))),
        "--ActorChat:ServerApi:Keys:0:Scopes:0", "rooms",
        "--ActorChat:ServerApi:Keys:0:Scopes:1", "read",
        "--ActorChat:ServerApi:Keys:0:Scopes:2", "publish",
        "--ActorChat:ServerApi:Keys:0:Scopes:3", "users",
        "--ActorChat:ServerApi:RequestsPerSecond", "1000000",
        "--ActorChat:ServerApi:RequestBurst", "1000000",
        "--Logging:LogLevel:Default", "Warning",
        "--Logging:LogLevel:ActorChat", "Warning",
    ];

    /// <summary>A socket that joins <paramref name="room"/> and then never reads: a slow consumer.</summary>
    public async Task<System.Net.WebSockets.ClientWebSocket> StalledAsync(string user, string room, CancellationToken cancellationToken)
    {
        var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        var query = SpeaksActorChat ? await TicketQueryAsync(await TokenAsync(user)) : $"user={user}";
        await socket.ConnectAsync(new UriBuilder(BaseAddress) { Scheme = "ws", Path = "/ws", Query = query }.Uri, cancellationToken);
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { id = "stalled", type = "join", room }), System.Net.WebSockets.WebSocketMessageType.Text, true, cancellationToken);
        return socket;
    }

    private async Task<string[]> PostgresSettingsAsync(string? cpus)
    {
        _postgres = await ActorChat.Testing.PostgresServer.StartAsync();
        if (cpus is not null && _postgres.Pid is { } postmaster and > 0)
        {
            // The database is part of the server: its processes now, and the backends the postmaster forks later.
            foreach (var pid in ChildrenOf(postmaster).Prepend(postmaster))
            {
                Pinning.Pin(pid, cpus);
            }
        }

        var database = await _postgres.CreateDatabaseAsync("actorchat");
        return ["--ActorChat:Storage:Provider", "Postgres", "--ActorChat:Storage:ConnectionString", database];
    }

    private static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (int.Parse(fields[1], CultureInfo.InvariantCulture) == parent)
            {
                yield return pid;
            }
        }
    }

    private static long ReadIo(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/io").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[(field.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process just ended (a database backend whose connection closed).
            return 0;
        }
    }

    private static long ReadProc(Process? process, string file, Func<string, long> parse) =>
        process is null || process.HasExited ? 0 : parse(File.ReadAllText($"/proc/{process.Id}/{file}"));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void StartDotnet(string dll, string[] arguments, string? cpus)
    {
        // taskset starts the runtime on its CPUs, so every thread it ever makes stays there.
        var info = new ProcessStartInfo(cpus is null ? "dotnet" : "taskset")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (cpus is not null)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(cpus);
            info.ArgumentList.Add("dotnet");
        }

        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null && Environment.GetEnvironmentVariable("BENCH_SERVER_STDOUT") == "1") { Console.Error.WriteLine($"  [{Kind}] {e.Data}"); } };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"  [{Kind}] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
    }

    private async Task WaitReadyAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            if (_processes.Any(p => p.HasExited))
            {
                throw new InvalidOperationException($"{Kind} exited during start-up.");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri(BaseAddress, "/health/ready"), deadline.Token);
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
