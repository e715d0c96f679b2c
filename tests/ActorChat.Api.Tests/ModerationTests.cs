using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ActorChat.Api.Tests;

/// <summary>Roles, kicks, bans, mutes and slow mode as clients meet them: over a real socket and REST.</summary>
[Collection(ServerCollection.Name)]
public sealed class ModerationTests(ChatServer server)
{
    private static string NewId(string name) => $"{name}{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task A_kicked_user_hears_why_on_every_connection_and_then_nothing_more_of_the_room()
    {
        var room = NewId("kick");
        var (ownerId, bobId, carolId) = (NewId("owner"), NewId("bob"), NewId("carol"));
        await using var owner = await server.ConnectAsync(ownerId);
        await using var bob = await server.ConnectAsync(bobId);
        await using var bobPhone = await server.ConnectAsync(bobId);
        await using var carol = await server.ConnectAsync(carolId);
        await owner.OkAsync("join", ("room", room));
        await bob.OkAsync("join", ("room", room));
        await bobPhone.OkAsync("join", ("room", room));
        await carol.OkAsync("join", ("room", room));

        await owner.OkAsync("kick", ("room", room), ("user", bobId));
        foreach (var connection in new[] { bob, bobPhone, carol })
        {
            var moderation = await connection.NextEventAsync(e => e.Type() == "moderation");
            Assert.Equal("kick", moderation.Str("action"));
            Assert.Equal(bobId, moderation.Str("user"));
            Assert.Equal(ownerId, moderation.Str("by"));
        }

        // Carol receives the next message; by then it would have been queued to Bob too, ahead of his ping's reply.
        var after = (await owner.OkAsync("send", ("room", room), ("text", "bob is gone"))).Seq();
        await carol.NextEventAsync(e => e.Type() == "message" && e.Seq() == after);
        foreach (var connection in new[] { bob, bobPhone })
        {
            await connection.OkAsync("ping");
            Assert.DoesNotContain(connection.Drain(), e => e.Type() == "message");
            Assert.Equal("not_member", (await connection.RequestAsync("send", ("room", room), ("text", "still here?"))).Str("code"));
        }

        // A public room lets a kicked user back, and they follow it again.
        await bob.OkAsync("join", ("room", room));
        var next = (await owner.OkAsync("send", ("room", room), ("text", "welcome back"))).Seq();
        await bob.NextEventAsync(e => e.Type() == "message" && e.Seq() == next);
    }

    [Fact]
    public async Task A_ban_keeps_the_user_out_until_it_ends_and_says_when()
    {
        var room = NewId("ban");
        var (ownerId, bobId) = (NewId("owner"), NewId("bob"));
        await using var owner = await server.ConnectAsync(ownerId);
        await using var bob = await server.ConnectAsync(bobId);
        await owner.OkAsync("join", ("room", room));
        await bob.OkAsync("join", ("room", room));

        var until = server.Now.AddHours(1);
        await owner.OkAsync("ban", ("room", room), ("user", bobId), ("until", until.ToString("O")));
        var refused = await bob.RequestAsync("join", ("room", room));
        Assert.Equal("forbidden", refused.Str("code"));
        var retry = refused.GetProperty("retryAfterMs").GetInt64();
        Assert.InRange(retry, TimeSpan.FromMinutes(59).TotalMilliseconds, TimeSpan.FromHours(1).TotalMilliseconds);

        Assert.Equal("bad_request", (await owner.RequestAsync("ban", ("room", room), ("user", bobId), ("until", "tomorrow"))).Str("code"));
        Assert.Equal("bad_request", (await owner.RequestAsync("ban", ("room", room), ("user", bobId), ("until", "2026-12-01T09:00:00"))).Str("code"));
        Assert.Equal("bad_request", (await owner.RequestAsync("ban", ("room", room), ("user", bobId), ("until", server.Now.AddHours(-1).ToString("O")))).Str("code"));

        await owner.OkAsync("unban", ("room", room), ("user", bobId));
        await bob.OkAsync("join", ("room", room));
    }

    [Fact]
    public async Task Muted_users_read_but_cannot_write_and_slow_mode_spaces_a_members_messages()
    {
        var room = NewId("mute");
        var (ownerId, bobId) = (NewId("owner"), NewId("bob"));
        var bobToken = await server.TokenAsync(bobId);
        await using var owner = await server.ConnectAsync(ownerId);
        await using var bob = await server.ConnectAsync(bobId);
        await owner.OkAsync("join", ("room", room));
        await bob.OkAsync("join", ("room", room));
        var seq = (await owner.OkAsync("send", ("room", room), ("text", "rules"))).Seq();

        await owner.OkAsync("mute", ("room", room), ("user", bobId), ("until", server.Now.AddMinutes(10).ToString("O")));
        foreach (var refused in new[]
        {
            await bob.RequestAsync("send", ("room", room), ("text", "let me talk")),
            await bob.RequestAsync("react", ("room", room), ("seq", seq), ("emoji", "😡")),
            await bob.RequestAsync("typing", ("room", room)),
        })
        {
            Assert.Equal("muted", refused.Str("code"));
            Assert.True(refused.GetProperty("retryAfterMs").GetInt64() > 0);
        }

        var rest = await PostAsync($"/api/rooms/{room}/messages", bobToken, new { text = "over rest then" });
        Assert.Equal(HttpStatusCode.Forbidden, rest.Status);
        Assert.Equal("muted", rest.Body.Str("code"));
        await bob.OkAsync("history", ("room", room));

        await owner.OkAsync("unmute", ("room", room), ("user", bobId));
        await bob.OkAsync("send", ("room", room), ("text", "thanks"));

        var settings = await owner.OkAsync("settings", ("room", room), ("slowMode", 30), ("topic", "be kind"));
        Assert.Equal(30, settings.GetProperty("slowMode").GetInt32());
        var heard = await bob.NextEventAsync(e => e.Type() == "settings");
        Assert.Equal("be kind", heard.Str("topic"));

        // Bob's "thanks" a moment ago counts: his next message waits.
        var slowed = await bob.RequestAsync("send", ("room", room), ("text", "second"));
        Assert.Equal("slow_mode", slowed.Str("code"));
        Assert.InRange(slowed.GetProperty("retryAfterMs").GetInt64(), 1, 30_000);
        var slowedRest = await PostAsync($"/api/rooms/{room}/messages", bobToken, new { text = "second, over rest" });
        Assert.Equal(HttpStatusCode.TooManyRequests, slowedRest.Status);
        Assert.Equal("slow_mode", slowedRest.Body.Str("code"));
        Assert.True(slowedRest.RetryAfter is >= 1 and <= 30);

        // Owners and admins are exempt; the room's state says what it is.
        await owner.OkAsync("send", ("room", room), ("text", "one"));
        await owner.OkAsync("send", ("room", room), ("text", "two"));
        var joined = await bob.OkAsync("join", ("room", room));
        Assert.Equal(("be kind", 30, "member"), (joined.Str("topic"), joined.GetProperty("slowMode").GetInt32(), joined.Str("role")));
    }

    [Fact]
    public async Task Roles_decide_who_moderates_and_rest_does_the_same()
    {
        var room = NewId("roles");
        var (ownerId, adminId, bobId) = (NewId("owner"), NewId("admin"), NewId("bob"));
        var (ownerToken, adminToken, bobToken) = (await server.TokenAsync(ownerId), await server.TokenAsync(adminId), await server.TokenAsync(bobId));
        await using var owner = await server.ConnectAsync(ownerId);
        await using var admin = await server.ConnectAsync(adminId);
        await using var bob = await server.ConnectAsync(bobId);
        Assert.Equal("owner", (await owner.OkAsync("join", ("room", room))).Str("role"));
        await admin.OkAsync("join", ("room", room));
        await bob.OkAsync("join", ("room", room));

        Assert.Equal("forbidden", (await bob.RequestAsync("kick", ("room", room), ("user", adminId))).Str("code"));
        Assert.Equal("bad_request", (await owner.RequestAsync("role", ("room", room), ("user", adminId), ("role", "king"))).Str("code"));

        var promoted = await PutAsync($"/api/rooms/{room}/members/{adminId}/role", ownerToken, new { role = "admin" });
        Assert.Equal(HttpStatusCode.OK, promoted.Status);
        Assert.Equal("admin", promoted.Body.Str("role"));
        var heard = await bob.NextEventAsync(e => e.Type() == "moderation" && e.Str("action") == "role");
        Assert.Equal(("admin", adminId), (heard.Str("role"), heard.Str("user")));

        var members = await owner.OkAsync("members", ("room", room));
        Assert.Equal("admin", members.GetProperty("members").EnumerateArray().Single(m => m.Str("user") == adminId).Str("role"));

        // An admin acts on members, never on the owner, and cannot make owners.
        Assert.Equal("forbidden", (await PostAsync($"/api/rooms/{room}/members/{ownerId}/kick", adminToken, null)).Body.Str("code"));
        Assert.Equal(HttpStatusCode.Forbidden, (await PutAsync($"/api/rooms/{room}/members/{bobId}/role", adminToken, new { role = "owner" })).Status);
        var muted = await PostAsync($"/api/rooms/{room}/members/{bobId}/mute", adminToken, new { until = server.Now.AddMinutes(5).ToString("O") });
        Assert.Equal(HttpStatusCode.OK, muted.Status);
        var badUntil = await PostAsync($"/api/rooms/{room}/members/{bobId}/mute", adminToken, new { until = "soon" });
        Assert.Equal(HttpStatusCode.BadRequest, badUntil.Status);
        var configured = await PatchAsync($"/api/rooms/{room}", adminToken, new { topic = "admins rule" });
        Assert.Equal("admins rule", configured.Body.Str("topic"));
        Assert.Equal(HttpStatusCode.Forbidden, (await PatchAsync($"/api/rooms/{room}", bobToken, new { slowMode = 5 })).Status);
        var info = await GetAsync($"/api/rooms/{room}", bobToken);
        Assert.Equal("admins rule", info.Body.Str("topic"));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"/api/rooms/{room}/members/{bobId}/kick", adminToken, null)).Status);
        await bob.NextEventAsync(e => e.Type() == "moderation" && e.Str("action") == "kick");
    }

    private Task<Answer> GetAsync(string path, string token) => SendAsync(HttpMethod.Get, path, token, null);

    private Task<Answer> PostAsync(string path, string token, object? body) => SendAsync(HttpMethod.Post, path, token, body);

    private Task<Answer> PutAsync(string path, string token, object? body) => SendAsync(HttpMethod.Put, path, token, body);

    private Task<Answer> PatchAsync(string path, string token, object? body) => SendAsync(HttpMethod.Patch, path, token, body);

    private async Task<Answer> SendAsync(HttpMethod method, string path, string token, object? body)
    {
        using var request = ChatServer.Authorized(method, path, token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response.Headers.RetryAfter?.Delta?.TotalSeconds);
    }

    private sealed record Answer(HttpStatusCode Status, JsonElement Body, double? RetryAfter);
}
