using System.Globalization;

namespace ActorChat.Bench;

/// <summary>Command line: <c>scenario [--servers a,b] [--subscribers N] ... [--json FILE] [--url URL]</c>.</summary>
internal sealed class BenchOptions
{
    public required string Scenario { get; init; }

    public IReadOnlyList<string> Servers { get; init; } = ["actorchat", "signalr", "raw"];

    public Uri? Url { get; init; }

    public string? JsonPath { get; init; }

    public int Subscribers { get; init; } = 1000;

    public int Publishers { get; init; } = 8;

    /// <summary>fanout: extra subscribers that join and then never read (slow consumers).</summary>
    public int Stalled { get; init; }

    public int Rooms { get; init; } = 500;

    public int MembersPerRoom { get; init; } = 4;

    public int Sockets { get; init; } = 10_000;

    public int Clients { get; init; } = 1000;

    public int MessageSize { get; init; } = 100;

    public double StepSeconds { get; init; } = 3;

    public int Depth { get; init; } = 100_000;

    public int Samples { get; init; } = 2000;

    /// <summary>user-rooms: messages in each of the user's rooms that the user has not read.</summary>
    public int Backlog { get; init; } = 100;

    public double Rate { get; init; } = 10;

    public double Seconds { get; init; } = 10;

    /// <summary>fanout, rooms and poll-vs-push: unmeasured traffic first (before each mode in poll-vs-push), so nothing is measured with cold code.</summary>
    public double WarmupSeconds { get; init; } = 10;

    public int Repeat { get; init; } = 1;

    /// <summary>idle: rooms the sockets are spread over (1: all in one room).</summary>
    public int IdleRooms { get; init; } = 100;

    /// <summary>soak: where to write the memory curve as an SVG chart.</summary>
    public string? PlotPath { get; init; }

    /// <summary>
    /// <c>--pin SERVER:LOAD[:SILO]</c>: CPU lists (as taskset takes them) for the server's processes, this load
    /// generator, and a cluster's silo (the server's when absent). Unpinned when not given.
    /// </summary>
    public PinPlan? Pin { get; init; }

    public TimeSpan MaxTime { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>fanout: the rates to step through instead of the default ladder (to profile one rate, say).</summary>
    public IReadOnlyList<double>? Rates { get; init; }

    /// <summary>
    /// How a browser-like ActorChat client signs its socket in: <c>subprotocol</c> (the token offered as the socket's
    /// subprotocol, what the browser client does) or <c>ticket</c> (a one-use ticket bought first, one request more).
    /// </summary>
    public string SignIn { get; init; } = "subprotocol";

    /// <summary>
    /// idle: <c>loop</c> (default) signs each user in (the dev login's token) inside the timed connects;
    /// <c>ahead</c> fetches every token before the clock starts, as a browser holding a token from an identity
    /// provider connects.
    /// </summary>
    public string Tokens { get; init; } = "loop";

    public static BenchOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            throw new ArgumentException("usage: ActorChat.Bench <fanout|rooms|idle|poll-vs-push|history-depth|member-depth|user-rooms|erase|big-room|soak|frame-bytes|stalled-reader> [options]");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected --name value, got '{args[i]}'.");
            }

            values[args[i][2..]] = args[++i];
        }

        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        double Double(string name, double fallback) => values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var defaults = new BenchOptions { Scenario = args[0] };
        return new BenchOptions
        {
            Scenario = args[0],
            Servers = values.TryGetValue("servers", out var servers) ? servers.Split(',') : defaults.Servers,
            Url = values.TryGetValue("url", out var url) ? new Uri(url) : null,
            JsonPath = values.GetValueOrDefault("json"),
            Subscribers = Int("subscribers", defaults.Subscribers),
            Publishers = Int("publishers", defaults.Publishers),
            Stalled = Int("stalled", defaults.Stalled),
            Rooms = Int("rooms", defaults.Rooms),
            MembersPerRoom = Int("members", defaults.MembersPerRoom),
            Sockets = Int("sockets", defaults.Sockets),
            Clients = Int("clients", defaults.Clients),
            MessageSize = Int("message-size", defaults.MessageSize),
            StepSeconds = Double("step-seconds", defaults.StepSeconds),
            Depth = Int("depth", defaults.Depth),
            Samples = Int("samples", defaults.Samples),
            Backlog = Int("backlog", defaults.Backlog),
            Rate = Double("rate", defaults.Rate),
            Seconds = Double("seconds", defaults.Seconds),
            WarmupSeconds = Double("warmup-seconds", defaults.WarmupSeconds),
            Repeat = Int("repeat", defaults.Repeat),
            IdleRooms = Int("idle-rooms", defaults.IdleRooms),
            PlotPath = values.GetValueOrDefault("plot"),
            Pin = values.TryGetValue("pin", out var pin) ? PinPlan.Parse(pin) : null,
            MaxTime = TimeSpan.FromSeconds(Double("max-seconds", defaults.MaxTime.TotalSeconds)),
            SignIn = values.GetValueOrDefault("sign-in") is { } signIn
                ? signIn is "subprotocol" or "ticket" ? signIn : throw new ArgumentException($"--sign-in takes subprotocol or ticket, not '{signIn}'.")
                : defaults.SignIn,
            Tokens = values.GetValueOrDefault("tokens") is { } tokens
                ? tokens is "loop" or "ahead" ? tokens : throw new ArgumentException($"--tokens takes loop or ahead, not '{tokens}'.")
                : defaults.Tokens,
            Rates = values.TryGetValue("rates", out var rates) ? [.. rates.Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture))] : null,
        };
    }
}

/// <summary>Which CPUs the server, the load generator and a cluster's silo run on (taskset CPU lists).</summary>
internal sealed record PinPlan(string Server, string Load, string Silo)
{
    public static PinPlan Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0 || !p.All(c => char.IsAsciiDigit(c) || c is ',' or '-')))
        {
            throw new ArgumentException($"--pin takes SERVER:LOAD[:SILO] CPU lists such as 0:1 or 0:1:1, not '{text}'.");
        }

        return new PinPlan(parts[0], parts[1], parts.Length == 3 ? parts[2] : parts[0]);
    }
}
