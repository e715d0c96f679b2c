using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ActorChat.Api.Tests;

[Collection(ServerCollection.Name)]
public sealed class PrivateRoomTests(ChatServer server)
{
    private static string NewUser(string name) => $"{name}{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task A_private_room_admits_members_and_invitees_only_and_leaks_nothing_to_others()
    {
        var room = $"secret-{Guid.NewGuid():N}"[..20];
        var (ownerId, guestId, strangerId) = (NewUser("owner"), NewUser("guest"), NewUser("stranger"));
        await using var owner = await server.ConnectAsync(ownerId);
        await using var guest = await server.ConnectAsync(guestId);
        await using var stranger = await server.ConnectAsync(strangerId);

        await owner.OkAsync("join", ("room", room), ("private", true));
        await owner.OkAsync("send", ("room", room), ("text", "for members only"));

        // A stranger can neither join nor read nor send nor list members.
        var refusals = new[]
        {
            await stranger.RequestAsync("join", ("room", room)),
            await stranger.RequestAsync("history", ("room", room)),
            await stranger.RequestAsync("send", ("room", room), ("text", "let me in")),
            await stranger.RequestAsync("members", ("room", room)),
            await stranger.RequestAsync("invite", ("room", room), ("user", strangerId)),
        };
        Assert.All(refusals, r => Assert.Equal("not_found", r.Str("code")));
        Assert.All(refusals, r => Assert.DoesNotContain("for members only", r.ToString()));

        // Over REST it does not even exist for the stranger, and it is never listed.
        var strangerToken = await server.TokenAsync(strangerId);
        using var info = ChatServer.Authorized(HttpMethod.Get, $"/api/rooms/{room}", strangerToken);
        using var infoResponse = await server.Http.SendAsync(info);
        Assert.Equal(HttpStatusCode.NotFound, infoResponse.StatusCode);
        using var list = ChatServer.Authorized(HttpMethod.Get, $"/api/rooms?after={room[..^1]}&limit=500", strangerToken);
        using var listResponse = await server.Http.SendAsync(list);
        var listed = await listResponse.Content.ReadFromJsonAsync<JsonElement>();
        Assert.DoesNotContain(listed.GetProperty("rooms").EnumerateArray(), r => r.GetProperty("id").GetString() == room);

        // Invited, the guest joins and reads history.
        var refusedBefore = await guest.RequestAsync("join", ("room", room));
        Assert.Equal("not_found", refusedBefore.Str("code"));
        await owner.OkAsync("invite", ("room", room), ("user", guestId));
        await guest.OkAsync("join", ("room", room));
        var history = await guest.OkAsync("history", ("room", room));
        Assert.Equal("for members only", Assert.Single(history.GetProperty("messages").EnumerateArray()).Str("text"));

        // The stranger's refused send stored nothing.
        Assert.Equal(1, (await guest.OkAsync("join", ("room", room))).GetProperty("lastSeq").GetInt64());
    }

    [Fact]
    public async Task A_member_can_invite_over_rest()
    {
        var room = $"club-{Guid.NewGuid():N}"[..20];
        var (ownerId, guestId) = (NewUser("owner"), NewUser("guest"));
        await using var owner = await server.ConnectAsync(ownerId);
        await owner.OkAsync("join", ("room", room), ("private", true));

        using var invite = ChatServer.Authorized(HttpMethod.Post, $"/api/rooms/{room}/invites", await server.TokenAsync(ownerId));
        invite.Content = JsonContent.Create(new { user = guestId });
        using var response = await server.Http.SendAsync(invite);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        await using var guest = await server.ConnectAsync(guestId);
        var joined = await guest.OkAsync("join", ("room", room));
        Assert.Equal(2, joined.GetProperty("memberCount").GetInt32());
    }

    [Fact]
    public async Task Every_connection_of_the_invitee_hears_the_invitation_and_it_is_listed_until_taken_up_or_declined()
    {
        var (first, second) = ($"club-{Guid.NewGuid():N}"[..20], $"club-{Guid.NewGuid():N}"[..20]);
        var (ownerId, guestId) = (NewUser("owner"), NewUser("guest"));
        await using var owner = await server.ConnectAsync(ownerId);
        await using var laptop = await server.ConnectAsync(guestId);
        await using var phone = await server.ConnectAsync(guestId);
        await owner.OkAsync("join", ("room", first), ("private", true));
        await owner.OkAsync("join", ("room", second), ("private", true));

        await owner.OkAsync("invite", ("room", first), ("user", guestId));
        foreach (var device in new[] { laptop, phone })
        {
            var heard = await device.NextEventAsync(e => e.Type() == "invited");
            Assert.Equal((first, ownerId), (heard.Str("room"), heard.Str("by")));
        }

        // Told over REST too; a connection opened later finds both in the list, oldest first.
        using var invite = ChatServer.Authorized(HttpMethod.Post, $"/api/rooms/{second}/invites", await server.TokenAsync(ownerId));
        invite.Content = JsonContent.Create(new { user = guestId });
        using var response = await server.Http.SendAsync(invite);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await using var later = await server.ConnectAsync(guestId);
        var listed = (await later.OkAsync("invitations")).GetProperty("invitations").EnumerateArray().ToList();
        Assert.Equal([first, second], listed.Select(i => i.Str("room")));
        Assert.All(listed, i => Assert.Equal(ownerId, i.Str("by")));

        // Joining takes one up; declining drops the other and shuts the door again.
        await later.OkAsync("join", ("room", first));
        Assert.Equal(second, (await later.OkAsync("decline", ("room", second))).Str("room"));
        Assert.Empty((await later.OkAsync("invitations")).GetProperty("invitations").EnumerateArray());
        Assert.Equal("not_found", (await later.RequestAsync("join", ("room", second))).Str("code"));
    }

    [Fact]
    public async Task Every_join_ok_says_whether_the_room_is_private()
    {
        var (open, closed) = ($"open-{Guid.NewGuid():N}"[..20], $"closed-{Guid.NewGuid():N}"[..20]);
        await using var alice = await server.ConnectAsync(NewUser("alice"));
        Assert.False((await alice.OkAsync("join", ("room", open))).GetProperty("private").GetBoolean());
        Assert.True((await alice.OkAsync("join", ("room", closed), ("private", true))).GetProperty("private").GetBoolean());

        // Joined again without asking, a private room still says so.
        await using var again = await server.ConnectAsync(NewUser("again"));
        await alice.OkAsync("invite", ("room", closed), ("user", again.User));
        Assert.True((await again.OkAsync("join", ("room", closed))).GetProperty("private").GetBoolean());
    }

    [Fact]
    public async Task Asking_for_a_private_room_that_exists_as_a_public_one_is_a_conflict_and_changes_nothing()
    {
        var room = $"squat-{Guid.NewGuid():N}"[..20];
        var (squatterId, victimId) = (NewUser("squatter"), NewUser("victim"));
        await using var squatter = await server.ConnectAsync(squatterId);
        await squatter.OkAsync("join", ("room", room));
        await squatter.OkAsync("leave", ("room", room));

        // The victim believes it creates a new private room; it must hear that the name is a public room's.
        await using var victim = await server.ConnectAsync(victimId);
        var refused = await victim.RequestAsync("join", ("room", room), ("private", true));
        Assert.Equal("conflict", refused.Str("code"));
        Assert.Contains("public", refused.Str("message"), StringComparison.Ordinal);

        // Nothing happened: the victim is no member, the squatter can join and finds no message.
        Assert.DoesNotContain((await victim.OkAsync("rooms")).GetProperty("rooms").EnumerateArray(), r => r.Str("room") == room);
        var rejoined = await squatter.OkAsync("join", ("room", room));
        Assert.Equal((0L, 1, false), (rejoined.GetProperty("lastSeq").GetInt64(), rejoined.GetProperty("memberCount").GetInt32(), rejoined.GetProperty("private").GetBoolean()));
    }

    [Fact]
    public async Task To_an_outsider_a_private_room_answers_exactly_as_a_missing_room_on_every_path()
    {
        var (secret, missing) = ($"hidden-{Guid.NewGuid():N}"[..20], $"absent-{Guid.NewGuid():N}"[..20]);
        var (ownerId, outsiderId) = (NewUser("owner"), NewUser("outsider"));
        await using var owner = await server.ConnectAsync(ownerId);
        await owner.OkAsync("join", ("room", secret), ("private", true));
        await owner.OkAsync("send", ("room", secret), ("text", "inside"));
        await using var outsider = await server.ConnectAsync(outsiderId);

        // Every socket request but join (which creates a missing room) answers the same code and message for both.
        var requests = new (string Type, (string, object?)[] Fields)[]
        {
            ("history", []),
            ("members", []),
            ("send", [("text", "hello?")]),
            ("read", [("seq", 1)]),
            ("typing", []),
            ("invite", [("user", outsiderId)]),
            ("leave", []),
            ("decline", []),
        };
        foreach (var (type, fields) in requests)
        {
            var atSecret = await outsider.RequestAsync(type, [("room", secret), .. fields]);
            var atMissing = await outsider.RequestAsync(type, [("room", missing), .. fields]);
            Assert.Equal(Describe(atMissing), Describe(atSecret));
        }

        // Joining the private room is refused as not_found, the code a read of a missing room gets.
        var join = await outsider.RequestAsync("join", ("room", secret));
        Assert.Equal(("not_found", "No such room."), (join.Str("code"), join.Str("message")));

        // REST routes and the event stream: the same status and body for both rooms.
        var token = await server.TokenAsync(outsiderId);
        foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
        {
            (HttpMethod.Get, "/api/rooms/{0}", null),
            (HttpMethod.Get, "/api/rooms/{0}/messages", null),
            (HttpMethod.Get, "/api/rooms/{0}/messages?after=0", null),
            (HttpMethod.Post, "/api/rooms/{0}/messages", new { text = "hello?" }),
            (HttpMethod.Post, "/api/rooms/{0}/invites", new { user = outsiderId }),
        })
        {
            var atSecret = await RestAsync(method, string.Format(System.Globalization.CultureInfo.InvariantCulture, path, secret), body, token);
            var atMissing = await RestAsync(method, string.Format(System.Globalization.CultureInfo.InvariantCulture, path, missing), body, token);
            Assert.Equal(atMissing.Replace(missing, "ROOM", StringComparison.Ordinal), atSecret.Replace(secret, "ROOM", StringComparison.Ordinal));
        }

        var (refused, none) = await SseStream.OpenAsync(server.Http, $"/api/rooms/{secret}/events", token);
        using (refused)
        {
            Assert.Null(none);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Equal("not_found", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        // None of it let the outsider in or stored anything.
        var members = await owner.OkAsync("members", ("room", secret));
        Assert.Single(members.GetProperty("members").EnumerateArray());
        Assert.Equal(1, (await owner.OkAsync("history", ("room", secret))).GetProperty("messages").GetArrayLength());
    }

    private static string Describe(JsonElement reply) =>
        reply.Type() == "ok" ? "ok" : $"{reply.Str("code")}: {reply.Str("message")}";

    private async Task<string> RestAsync(HttpMethod method, string path, object? body, string token)
    {
        using var request = ChatServer.Authorized(method, path, token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await server.Http.SendAsync(request);
        var problem = await response.Content.ReadAsStringAsync();
        using var parsed = JsonDocument.Parse(problem.Length == 0 ? "{}" : problem);
        var root = parsed.RootElement;
        return $"{(int)response.StatusCode} {Field(root, "code")} {Field(root, "detail")}";

        static string? Field(JsonElement root, string name) => root.TryGetProperty(name, out var value) ? value.ToString() : null;
    }
}
