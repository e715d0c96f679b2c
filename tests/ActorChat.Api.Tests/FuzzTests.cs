using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorChat.Api.Tests;

/// <summary>A server with generous rate limits whose warnings and errors are kept for the test to inspect.</summary>
public sealed class FuzzServer() : ChatServer(new Dictionary<string, string>
{
    ["ActorChat:Sockets:RequestsPerSecond"] = "1000000",
    ["ActorChat:Sockets:RequestBurst"] = "1000000",
})
{
    /// <summary>Log lines at Error and above (but the silo's self-monitoring of its machine's load).</summary>
    public ConcurrentQueue<string> Problems { get; } = new();

    /// <summary>Every log line, at every level.</summary>
    public ConcurrentQueue<string> Lines { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Trace));
        builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(new ProblemLog(Problems, Lines)));
    }

    private sealed class ProblemLog(ConcurrentQueue<string> problems, ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, problems, lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> problems, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = $"{category}: {formatter(state, exception)} {exception}";
                lines.Enqueue(line);

                // The silo's self-monitoring reports at Error when this busy two-core machine starves its timers and
                // thread pool for a while: that is about the machine's load during the run, not about the input.
                if (logLevel >= LogLevel.Error && !category.StartsWith("Orleans.Runtime.MembershipService.LocalSiloHealthMonitor", StringComparison.Ordinal))
                {
                    problems.Enqueue(line);
                }
            }
        }
    }
}

/// <summary>
/// 20,000 hostile frames (mutated valid requests, random JSON, random bytes, wrong types, huge numbers, odd
/// unicode) against a running server: every frame answered or the socket closed with a documented code, no error
/// in the server's log, and a private room the fuzzer may not touch unchanged.
/// </summary>
public sealed class FuzzTests(FuzzServer server) : IClassFixture<FuzzServer>
{
    private const int Frames = 20_000;
    private static readonly WebSocketCloseStatus[] Documented =
        [WebSocketCloseStatus.InvalidPayloadData, WebSocketCloseStatus.PolicyViolation, WebSocketCloseStatus.MessageTooBig];

    [Fact]
    public async Task Twenty_thousand_hostile_frames_are_each_answered_or_closed_with_a_documented_code()
    {
        var target = $"fuzz-target-{Guid.NewGuid():N}"[..24];
        await using var owner = await server.ConnectAsync($"owner{target[^6..]}");
        await owner.OkAsync("join", ("room", target), ("private", true));
        await owner.OkAsync("send", ("room", target), ("text", "the only message"));

        var random = new Random(20261126);
        var generator = new FrameGenerator(random, target);
        var user = $"fuzzer{target[^6..]}";
        var token = await server.TokenAsync(user);
        var socket = await ConnectAsync(token);
        var closes = 0;
        try
        {
            for (var i = 0; i < Frames; i++)
            {
                var frame = generator.Next();
                var answers = await ExchangeAsync(socket, frame, $"probe-{i}");
                if (answers is null)
                {
                    // The server closed: only a frame that warrants it may cause that, with its documented code. When the
                    // server closes right after its close frame, TCP may reset the connection before that frame is read.
                    var expected = ExpectedClose(frame);
                    Assert.True(expected is not null, $"frame {i} closed the socket: {Encoding.UTF8.GetString(frame)}");
                    Assert.Contains(socket.CloseStatus ?? expected!.Value, Documented);
                    closes++;
                    socket.Dispose();
                    socket = await ConnectAsync(token);
                    continue;
                }

                var silentAllowed = IsTypingWithoutId(frame);
                Assert.True(answers.Count == 1 || (silentAllowed && answers.Count == 0), $"frame {i} got {answers.Count} replies: {Encoding.UTF8.GetString(frame)}");

                // Bad input is the client's fault, never the server's: no hostile frame may be answered `internal`.
                Assert.DoesNotContain(answers, a => a.Type() == "error" && a.Str("code") == "internal");
            }
        }
        finally
        {
            socket.Abort();
            socket.Dispose();
        }

        Assert.Empty(server.Problems);

        // Nothing secret reached the log, at any level: not the signing key, not a token, not message text.
        Assert.DoesNotContain(server.Lines, line => line.Contains(ChatServer.SigningKey, StringComparison.Ordinal));
        Assert.DoesNotContain(server.Lines, line => line.Contains(token, StringComparison.Ordinal));
        Assert.DoesNotContain(server.Lines, line => line.Contains("the only message", StringComparison.Ordinal));
        var after = await owner.OkAsync("history", ("room", target));
        Assert.Equal(["the only message"], after.GetProperty("messages").EnumerateArray().Select(m => m.Str("text")));
        var members = await owner.OkAsync("members", ("room", target));
        Assert.Single(members.GetProperty("members").EnumerateArray());
        Assert.True(closes < Frames / 10, $"{closes} closes");
    }

    private async Task<ClientWebSocket> ConnectAsync(string token)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        await socket.ConnectAsync(server.SocketAddress, CancellationToken.None);
        var welcome = await ReceiveAsync(socket);
        Assert.Equal("welcome", welcome?.Type());
        return socket;
    }

    /// <summary>Sends the frame, then a ping; returns the replies (ok or error) that came before the ping's. Null: closed.</summary>
    private static async Task<List<JsonElement>?> ExchangeAsync(ClientWebSocket socket, byte[] frame, string probe)
    {
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
            await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { id = probe, type = "ping" }), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            await DrainAsync(socket);
            return null;
        }

        var replies = new List<JsonElement>();
        while (true)
        {
            var next = await ReceiveAsync(socket);
            if (next is not { } reply)
            {
                return null;
            }

            if (reply.Type() is not ("ok" or "error"))
            {
                continue;
            }

            if (reply.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == probe)
            {
                return replies;
            }

            replies.Add(reply);
        }
    }

    private static async Task<JsonElement?> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[256 * 1024];
        var count = 0;
        using var deadline = new CancellationTokenSource(ChatClient.Deadline);
        try
        {
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(count), deadline.Token);
                count += result.Count;
            }
            while (!result.EndOfMessage);

            return result.MessageType == WebSocketMessageType.Close ? null : JsonDocument.Parse(buffer.AsMemory(0, count)).RootElement.Clone();
        }
        catch (WebSocketException)
        {
            return null;
        }
    }

    private static async Task DrainAsync(ClientWebSocket socket)
    {
        while (socket.State == WebSocketState.Open && await ReceiveAsync(socket) is not null)
        {
        }
    }

    private static WebSocketCloseStatus? ExpectedClose(byte[] frame)
    {
        if (frame.Length > 64 * 1024)
        {
            return WebSocketCloseStatus.MessageTooBig;
        }

        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(frame);
            return null;
        }
        catch (DecoderFallbackException)
        {
            return WebSocketCloseStatus.InvalidPayloadData;
        }
    }

    private static bool IsTypingWithoutId(byte[] frame)
    {
        try
        {
            using var document = JsonDocument.Parse(frame);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("typing")
                && (!root.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Hostile frames, reproducible from the seed.</summary>
    private sealed class FrameGenerator(Random random, string target)
    {
        private static readonly string[] Types =
        [
            "join", "leave", "members", "send", "dm", "history", "typing", "read", "rooms", "ping", "refresh", "invite", "invitations", "decline", "browse",
            "edit", "delete", "react", "unreact", "role", "kick", "ban", "unban", "mute", "unmute", "settings", "JOIN", "", "x",
        ];

        private static readonly string[] Fields =
        [
            "id", "type", "room", "text", "since", "before", "after", "limit", "seq", "to", "clientMsgId", "user", "private", "token", "watch",
            "emoji", "role", "until", "topic", "slowMode", "replyTo", "mentions",
        ];
        private static readonly string[] Odd = ["", " ", "\u0000", "\uFFFF", "\uD83D\uDE00", "e\u0301", "\u202E", "dm:a:b", "dm:", "a:b", "..", "-", new string('z', 70), "null", "true", "🦀🦀🦀"];

        // Escapes JSON accepts that are no text: half a surrogate pair, or a pair in the wrong order.
        private static readonly string[] BrokenEscapes = [@"\ud800", @"\udfff", @"\udc00\ud800", @"x\ud83d", @"\ud83dx", @"\uDBFF\uDBFF"];

        public byte[] Next() => random.Next(11) switch
        {
            0 => RandomBytes(),
            1 => Encoding.UTF8.GetBytes(new string('[', random.Next(1, 200)) + new string(']', random.Next(0, 200))),
            2 => Encoding.UTF8.GetBytes(RandomJsonValue(0)?.ToJsonString() ?? "null"),
            3 => Encoding.UTF8.GetBytes(WithBrokenEscape()),
            _ => Encoding.UTF8.GetBytes(MutatedRequest()),
        };

        /// <summary>A valid request with a lone surrogate escaped into one of its strings (the type, a field, the id).</summary>
        private string WithBrokenEscape()
        {
            var type = Types[random.Next(Types.Length - 3)];
            var field = random.Next(4) switch
            {
                0 => "type",
                1 => "id",
                _ => Fields[random.Next(2, Fields.Length)],
            };
            var escape = BrokenEscapes[random.Next(BrokenEscapes.Length)];
            var fields = new Dictionary<string, string> { ["id"] = $"\"s{random.Next()}\"", ["type"] = $"\"{type}\"", ["room"] = $"\"{target}\"", ["text"] = "\"hello\"" };
            fields[field] = $"\"{escape}\"";
            return "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";
        }

        private byte[] RandomBytes()
        {
            var bytes = new byte[random.Next(1, 300)];
            random.NextBytes(bytes);

            // Mostly valid UTF-8 garbage, sometimes invalid (which must close the socket with 1007).
            return random.Next(4) == 0 ? bytes : Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes));
        }

        private string MutatedRequest()
        {
            var request = new Dictionary<string, object?>
            {
                ["type"] = Types[random.Next(Types.Length)],
            };
            if (random.Next(3) > 0)
            {
                request["id"] = random.Next(8) == 0 ? (object)random.Next() : $"f{random.Next()}";
            }

            foreach (var field in Fields)
            {
                if (random.Next(3) == 0)
                {
                    request[field] = RandomFieldValue(field);
                }
            }

            return JsonSerializer.Serialize(request);
        }

        private object? RandomFieldValue(string field) => random.Next(9) switch
        {
            0 => null,
            1 => random.NextInt64(long.MinValue, long.MaxValue),
            2 => 1e308,
            3 => Odd[random.Next(Odd.Length)],
            4 => new[] { 1, 2, 3 },
            5 => new Dictionary<string, object> { ["nested"] = new Dictionary<string, object> { ["deeper"] = field } },
            6 => field switch
            {
                "room" => random.Next(2) == 0 ? target : $"r{random.Next(5)}",
                "emoji" => random.Next(2) == 0 ? "👍" : "👍🏽x",
                "role" => new[] { "owner", "admin", "member", "root" }[random.Next(4)],
                "until" => random.Next(2) == 0 ? "2099-01-01T00:00:00Z" : "2001-01-01T00:00:00+25:00",
                "mentions" => new[] { "bob", "owner", "../etc" },
                "seq" or "replyTo" or "slowMode" => random.Next(-2, 5),
                _ => $"v{random.Next(100)}",
            },
            7 => random.Next(2) == 0,
            _ => new string((char)random.Next(32, 0xD7FF), random.Next(0, 5000)),
        };

        private System.Text.Json.Nodes.JsonNode? RandomJsonValue(int depth) => (depth > 20 ? random.Next(3) : random.Next(6)) switch
        {
            0 => System.Text.Json.Nodes.JsonValue.Create(random.NextDouble() * 1e12),
            1 => System.Text.Json.Nodes.JsonValue.Create(Odd[random.Next(Odd.Length)]),
            2 => null,
            3 => new System.Text.Json.Nodes.JsonArray([.. Enumerable.Range(0, random.Next(4)).Select(_ => RandomJsonValue(depth + 1))]),
            _ => new System.Text.Json.Nodes.JsonObject(Enumerable.Range(0, random.Next(4))
                .Select(i => KeyValuePair.Create<string, System.Text.Json.Nodes.JsonNode?>(Fields[random.Next(Fields.Length)] + i, RandomJsonValue(depth + 1)))),
        };
    }
}
