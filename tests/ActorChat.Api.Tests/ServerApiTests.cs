using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace ActorChat.Api.Tests;

/// <summary>A front end with server API keys and a webhook receiver that can be told to fail.</summary>
public sealed class ServerApiFixture : IAsyncLifetime
{
    /// <summary>Secrets as <c>deploy/api-key.sh</c> makes them; the server holds only their SHA-256.</summary>
    public const string FullSecret = "ack_full-access-secret-for-tests-0123456789";
    public const string ReadSecret = "ack_read-only-secret-for-tests-0123456789";

    /// <summary>Small, so a backend makes a room that is above it with a few calls.</summary>
    public const int PresenceMemberLimit = 3;

    private static readonly string[] AllScopes = ["publish", "rooms", "users", "read", "webhooks"];

    public WebhookReceiver Receiver { get; private set; } = null!;

    public ChatServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["ActorChat:ServerApi:Keys:0:Name"] = "backend",
            ["ActorChat:ServerApi:Keys:0:Hash"] = Hash(FullSecret),
            ["ActorChat:ServerApi:Keys:1:Name"] = "reporting",
            ["ActorChat:ServerApi:Keys:1:Hash"] = Hash(ReadSecret).ToUpperInvariant(),
            ["ActorChat:ServerApi:Keys:1:Scopes:0"] = "read",
            ["ActorChat:Webhooks:Endpoints:0:Name"] = "app",
            ["ActorChat:Webhooks:Endpoints:0:Url"] = Receiver.Url.ToString(),
            ["ActorChat:Webhooks:Endpoints:0:Secret"] = "server-api-test-webhook-secret",
            ["ActorChat:Webhooks:Endpoints:0:Events:0"] = "message.created",
            ["ActorChat:Webhooks:Endpoints:0:Rooms:0"] = "dead-*",
            ["ActorChat:Webhooks:PollInterval"] = "00:00:00.020",
            ["ActorChat:Webhooks:InitialBackoff"] = "00:00:00.020",
            ["ActorChat:Webhooks:MaxBackoff"] = "00:00:00.050",
            ["ActorChat:Webhooks:MaxAttempts"] = "2",
            ["ActorChat:Rooms:PresenceMemberLimit"] = PresenceMemberLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (scope, index) in AllScopes.Select((s, i) => (s, i)))
        {
            settings[$"ActorChat:ServerApi:Keys:0:Scopes:{index}"] = scope;
        }

        Server = new KeyedServer(settings);
        await Server.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));

    private sealed class KeyedServer(IReadOnlyDictionary<string, string> settings) : ChatServer(settings, fakeClock: false, captureLogs: true);
}

/// <summary>What a backend does with an API key, against a real front end, sockets and event streams.</summary>
public sealed class ServerApiTests(ServerApiFixture fixture) : IClassFixture<ServerApiFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly ChatServer _server = fixture.Server;

    private static string NewId(string name) => $"{name}{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task Keys_are_checked_by_hash_and_scope_and_logged_by_name_never_by_secret()
    {
        var room = NewId("keys");
        await using var owner = await _server.ConnectAsync(NewId("owner"));
        await owner.OkAsync("join", ("room", room));

        var none = await CallAsync(HttpMethod.Get, $"/api/server/rooms/{room}", secret: null);
        Assert.Equal(HttpStatusCode.Unauthorized, none.Status);
        Assert.Equal("unauthorized", none.Body.Str("code"));
        var wrong = await CallAsync(HttpMethod.Get, $"/api/server/rooms/{room}", "ack_not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);

        // A user's token is no key, and a key is no user's token.
        using (var bearer = ChatServer.Authorized(HttpMethod.Get, $"/api/server/rooms/{room}", await _server.TokenAsync("someone")))
        using (var response = await _server.Http.SendAsync(bearer))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await CallAsync(HttpMethod.Get, $"/api/rooms/{room}", ServerApiFixture.FullSecret)).Status);

        var read = await CallAsync(HttpMethod.Get, $"/api/server/rooms/{room}", ServerApiFixture.ReadSecret);
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(1, read.Body.GetProperty("members").GetInt32());
        var refused = await CallAsync(HttpMethod.Post, $"/api/server/rooms/{room}/messages", ServerApiFixture.ReadSecret, new { text = "not allowed" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("forbidden", refused.Body.Str("code"));

        var lines = _server.Logs.Lines;
        Assert.Contains(lines, l => l.Contains("Server API key reporting: GET /api/server/rooms/" + room, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(ServerApiFixture.ReadSecret, StringComparison.Ordinal) || l.Contains("ack_not-a-key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_backend_posts_as_a_bot_or_the_system_without_membership_and_retries_safely()
    {
        var room = NewId("botroom");
        await using var alice = await _server.ConnectAsync(NewId("alice"));
        await alice.OkAsync("join", ("room", room));

        var first = await CallAsync(HttpMethod.Post, $"/api/server/rooms/{room}/messages", ServerApiFixture.FullSecret,
            new { text = "Deploy finished", sender = "deploybot", clientMsgId = "d-1" });
        Assert.Equal(HttpStatusCode.Created, first.Status);
        var retried = await CallAsync(HttpMethod.Post, $"/api/server/rooms/{room}/messages", ServerApiFixture.FullSecret,
            new { text = "Deploy finished", sender = "deploybot", clientMsgId = "d-1" });
        Assert.Equal(first.Body.Seq(), retried.Body.Seq());
        var system = await CallAsync(HttpMethod.Post, $"/api/server/rooms/{room}/messages", ServerApiFixture.FullSecret,
            new { text = "Maintenance at noon", kind = "system" });

        var messages = await alice.MessagesAsync(room, 2);
        Assert.Equal(("deploybot", "bot"), (messages[0].Str("from"), messages[0].Str("kind")));
        Assert.Equal(("backend", "system", system.Body.Seq()), (messages[1].Str("from"), messages[1].Str("kind"), messages[1].Seq()));

        var missing = await CallAsync(HttpMethod.Post, $"/api/server/rooms/{NewId("nowhere")}/messages", ServerApiFixture.FullSecret, new { text = "hello?" });
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        var badKind = await CallAsync(HttpMethod.Post, $"/api/server/rooms/{room}/messages", ServerApiFixture.FullSecret, new { text = "x", kind = "user" });
        Assert.Equal(HttpStatusCode.BadRequest, badKind.Status);
    }

    [Fact]
    public async Task A_backend_opens_a_private_room_manages_its_members_and_reads_it()
    {
        var room = NewId("team");
        var (ownerId, memberId, laterId) = (NewId("owner"), NewId("member"), NewId("later"));
        var created = await CallAsync(HttpMethod.Post, "/api/server/rooms", ServerApiFixture.FullSecret,
            new { room, owner = ownerId, @private = true, members = new[] { memberId } });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.True(created.Body.GetProperty("private").GetBoolean());
        Assert.Equal(2, created.Body.GetProperty("members").GetInt32());
        var again = await CallAsync(HttpMethod.Post, "/api/server/rooms", ServerApiFixture.FullSecret, new { room, owner = ownerId });
        Assert.Equal(HttpStatusCode.Conflict, again.Status);

        await using var owner = await _server.ConnectAsync(ownerId);
        Assert.Equal("owner", (await owner.OkAsync("join", ("room", room))).Str("role"));
        await using var later = await _server.ConnectAsync(laterId);
        Assert.Equal("not_found", (await later.RequestAsync("join", ("room", room))).Str("code"));

        var added = await CallAsync(HttpMethod.Put, $"/api/server/rooms/{room}/members/{laterId}", ServerApiFixture.FullSecret);
        Assert.True(added.Body.GetProperty("changed").GetBoolean());
        await later.OkAsync("join", ("room", room));
        await owner.OkAsync("send", ("room", room), ("text", "welcome"));

        var removed = await CallAsync(HttpMethod.Delete, $"/api/server/rooms/{room}/members/{laterId}", ServerApiFixture.FullSecret);
        Assert.True(removed.Body.GetProperty("changed").GetBoolean());
        var kicked = await later.NextEventAsync(e => e.Type() == "moderation");
        Assert.Equal(("kick", "backend"), (kicked.Str("action"), kicked.Str("by")));
        Assert.Equal("not_found", (await later.RequestAsync("join", ("room", room))).Str("code"));

        var members = await CallAsync(HttpMethod.Get, $"/api/server/rooms/{room}/members", ServerApiFixture.ReadSecret);
        Assert.Equal(new[] { memberId, ownerId }.Order(StringComparer.Ordinal), members.Body.GetProperty("members").EnumerateArray().Select(m => m.Str("user")));
        var history = await CallAsync(HttpMethod.Get, $"/api/server/rooms/{room}/messages?limit=10", ServerApiFixture.ReadSecret);
        Assert.Equal("welcome", Assert.Single(history.Body.GetProperty("messages").EnumerateArray()).Str("text"));
    }

    [Fact]
    public async Task Members_of_a_room_above_the_presence_limit_are_listed_with_online_null_on_the_socket_and_the_server_api()
    {
        var (ownerId, room) = (NewId("host"), NewId("arena"));
        await using var owner = await _server.ConnectAsync(ownerId);
        await owner.OkAsync("join", ("room", room));
        var before = await owner.OkAsync("members", ("room", room));
        Assert.True(Assert.Single(before.GetProperty("members").EnumerateArray()).GetProperty("online").GetBoolean());

        var added = Enumerable.Range(0, ServerApiFixture.PresenceMemberLimit).Select(i => NewId($"fan{i}")).ToList();
        foreach (var user in added)
        {
            Assert.Equal(HttpStatusCode.OK, (await CallAsync(HttpMethod.Put, $"/api/server/rooms/{room}/members/{user}", ServerApiFixture.FullSecret)).Status);
        }

        // Above the limit the owner, connected and so online, is listed as unknown like everyone else.
        var onSocket = (await owner.OkAsync("members", ("room", room))).GetProperty("members").EnumerateArray().ToList();
        var onApi = (await CallAsync(HttpMethod.Get, $"/api/server/rooms/{room}/members", ServerApiFixture.ReadSecret)).Body.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(added.Append(ownerId).Order(StringComparer.Ordinal), onSocket.Select(m => m.Str("user")));
        Assert.Equal(onSocket.Select(m => m.Str("user")), onApi.Select(m => m.Str("user")));
        Assert.All(onSocket.Concat(onApi), m => Assert.Equal(JsonValueKind.Null, m.GetProperty("online").ValueKind));
    }

    [Fact]
    public async Task Disconnecting_a_user_closes_every_connection_with_4003_and_revoked_tokens_stay_out()
    {
        var (userId, room) = (NewId("leaver"), NewId("lobby"));
        var token = await _server.TokenAsync(userId);
        await using var socket = await ChatClient.ConnectAsync(_server.SocketAddress, token);
        await socket.OkAsync("join", ("room", room));
        var (opened, stream) = await SseStream.OpenAsync(_server.Http, $"/api/rooms/{room}/events", token);
        using var response = opened;
        await using var events = stream!;
        await events.NextAsync("ready");
        var (ticket, _) = await _server.TicketAsync(token);

        var ended = await CallAsync(HttpMethod.Post, $"/api/server/users/{userId}/disconnect", ServerApiFixture.FullSecret, new { revokeTokens = true });
        Assert.Equal(HttpStatusCode.OK, ended.Status);
        Assert.Equal((WebSocketCloseStatus)4003, await socket.Closed.Task.WaitAsync(Deadline));
        var close = await events.NextAsync("close");
        Assert.Equal(4003, close.Data.GetProperty("code").GetInt32());

        // Everything issued before the revocation is refused: the token, a ticket bought with it, a refresh with it.
        using (var rest = ChatServer.Authorized(HttpMethod.Get, $"/api/rooms/{room}", token))
        using (var refusedRest = await _server.Http.SendAsync(rest))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refusedRest.StatusCode);
        }

        var ticketRefused = await Assert.ThrowsAnyAsync<WebSocketException>(() => ChatClient.ConnectWithTicketAsync(_server.SocketAddress, ticket));
        Assert.Contains("401", ticketRefused.Message, StringComparison.Ordinal);

        // A token issued after it works, and a refresh with the old one is refused.
        var fresh = TestTokens.Mint(userId, TimeSpan.FromMinutes(5), issuedAt: DateTime.UtcNow.AddSeconds(2));
        await using var back = await ChatClient.ConnectAsync(_server.SocketAddress, fresh);
        await back.OkAsync("join", ("room", room));
        Assert.Equal("forbidden", (await back.RequestAsync("refresh", ("token", token))).Str("code"));
    }

    [Fact]
    public async Task Erasing_a_user_ends_their_sessions_and_leaves_tombstones_of_their_messages()
    {
        var (userId, otherId, room) = (NewId("erased"), NewId("other"), NewId("erasure"));
        await using var user = await _server.ConnectAsync(userId);
        await using var other = await _server.ConnectAsync(otherId);
        await user.OkAsync("join", ("room", room));
        await other.OkAsync("join", ("room", room));
        await user.OkAsync("send", ("room", room), ("text", "my secret address"));
        await other.OkAsync("send", ("room", room), ("text", "noted"));

        var erased = await CallAsync(HttpMethod.Delete, $"/api/server/users/{userId}", ServerApiFixture.FullSecret);
        Assert.Equal(HttpStatusCode.OK, erased.Status);
        Assert.Contains(room, erased.Body.GetProperty("rooms").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal((WebSocketCloseStatus)4003, await user.Closed.Task.WaitAsync(Deadline));

        var history = (await other.OkAsync("history", ("room", room))).GetProperty("messages").EnumerateArray().ToList();
        Assert.DoesNotContain(history, m => m.ToString().Contains("secret address", StringComparison.Ordinal));
        Assert.Equal("noted", history[^1].Str("text"));
        var members = await CallAsync(HttpMethod.Get, $"/api/server/rooms/{room}/members", ServerApiFixture.FullSecret);
        Assert.DoesNotContain(members.Body.GetProperty("members").EnumerateArray(), m => m.Str("user") == userId);
    }

    [Fact]
    public async Task A_dead_lettered_webhook_is_listed_and_replayed_with_the_same_delivery_id()
    {
        var room = NewId("dead-");
        fixture.Receiver.FailFirst = int.MaxValue;

        // This server's own webhook meter: the test process hosts several servers whose meters share names.
        var deadLettered = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var delivered = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var factory = _server.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Meter.Name == "ActorChat.Webhooks")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "endpoint")
                {
                    (instrument.Name == "actorchat.webhooks.delivered" ? delivered : instrument.Name == "actorchat.webhooks.dead_lettered" ? deadLettered : null)
                        ?.TrySetResult(tag.Value as string);
                }
            }
        });
        listener.Start();
        await using var alice = await _server.ConnectAsync(NewId("alice"));
        await alice.OkAsync("join", ("room", room));
        var seq = (await alice.OkAsync("send", ("room", room), ("text", "to the void"))).Seq();

        JsonElement letter = default;
        using (var timeout = new CancellationTokenSource(Deadline))
        {
            while (letter.ValueKind == JsonValueKind.Undefined)
            {
                var list = await CallAsync(HttpMethod.Get, "/api/server/webhooks/dead-letters", ServerApiFixture.FullSecret);
                letter = list.Body.GetProperty("deadLetters").EnumerateArray().FirstOrDefault(d => d.Str("type") == "message.created" && d.GetProperty("attempts").GetInt32() == 2);
                if (letter.ValueKind == JsonValueKind.Undefined)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
                }
            }
        }

        Assert.Equal("app", letter.Str("endpoint"));
        Assert.Equal(HttpStatusCode.Forbidden, (await CallAsync(HttpMethod.Get, "/api/server/webhooks/dead-letters", ServerApiFixture.ReadSecret)).Status);

        fixture.Receiver.FailFirst = 0;
        var eventId = letter.Str("eventId");
        var replayed = await CallAsync(HttpMethod.Post, $"/api/server/webhooks/dead-letters/{eventId}/replay", ServerApiFixture.FullSecret);
        Assert.Equal(1, replayed.Body.GetProperty("deliveries").GetInt32());
        var replay = await fixture.Receiver.NextAsync(Deadline, d => d.DeliveryId == eventId);
        using var body = JsonDocument.Parse(replay.Body);
        Assert.Equal(seq, body.RootElement.GetProperty("data").GetProperty("seq").GetInt64());
        var unknown = await CallAsync(HttpMethod.Post, "/api/server/webhooks/dead-letters/evt_unknown/replay", ServerApiFixture.FullSecret);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);

        // Operators see it in the metrics: a dead letter, then a delivery, each labelled with the endpoint.
        Assert.Equal("app", await deadLettered.Task.WaitAsync(Deadline));
        Assert.Equal("app", await delivered.Task.WaitAsync(Deadline));
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> CallAsync(HttpMethod method, string path, string? secret, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (secret is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", secret);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await _server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
