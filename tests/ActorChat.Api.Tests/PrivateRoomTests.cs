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
        Assert.All(refusals, r => Assert.True(r.Str("code") is "forbidden" or "not_member", r.ToString()));
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
        Assert.Equal("forbidden", refusedBefore.Str("code"));
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
        Assert.Equal("forbidden", (await later.RequestAsync("join", ("room", second))).Str("code"));
    }
}
