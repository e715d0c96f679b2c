using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ActorChat.Api.Tests;

/// <summary>A server with small quotas: three memberships, two room creations per hour, two invitations per room.</summary>
public sealed class QuotaServer() : ChatServer(new Dictionary<string, string>
{
    ["ActorChat:Limits:MaxMembershipsPerUser"] = "3",
    ["ActorChat:Limits:MaxRoomCreationsPerWindow"] = "2",
    ["ActorChat:Limits:RoomCreationWindow"] = "01:00:00",
    ["ActorChat:Limits:MaxInvitedPerRoom"] = "2",
});

/// <summary>State a user can make the server keep is bounded: rooms created, memberships, invitations.</summary>
public sealed class QuotaTests(QuotaServer server) : IClassFixture<QuotaServer>
{
    private static string NewUser(string name) => $"{name}{Guid.NewGuid():N}"[..16];

    private static string NewRoom(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task A_user_creates_only_so_many_rooms_per_window_on_every_path_and_a_refused_room_is_not_made()
    {
        var user = NewUser("creator");
        await using var creator = await server.ConnectAsync(user);
        await creator.OkAsync("join", ("room", NewRoom("first")));
        await creator.OkAsync("join", ("room", NewRoom("second")), ("private", true));

        var third = NewRoom("third");
        var refused = await creator.RequestAsync("join", ("room", third));
        Assert.Equal("quota_exceeded", refused.Str("code"));
        Assert.Contains("next one is allowed at", refused.Str("message"), StringComparison.Ordinal);

        // Opening an event stream on a new room is refused the same way, before the stream starts.
        var token = await server.TokenAsync(user);
        var (viaStream, none) = await SseStream.OpenAsync(server.Http, $"/api/rooms/{NewRoom("stream")}/events", token);
        using (viaStream)
        {
            Assert.Null(none);
            Assert.Equal(HttpStatusCode.TooManyRequests, viaStream.StatusCode);
            Assert.Equal("quota_exceeded", (await viaStream.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        // The refused room was not created: it is not there for anyone, and someone else may create it.
        using var info = ChatServer.Authorized(HttpMethod.Get, $"/api/rooms/{third}", token);
        using var missing = await server.Http.SendAsync(info);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await using var other = await server.ConnectAsync(NewUser("other"));
        var created = await other.OkAsync("join", ("room", third));
        Assert.Equal(1, created.GetProperty("memberCount").GetInt32());

        // Joining a room that exists creates nothing, so it is still allowed.
        await creator.OkAsync("join", ("room", third));
    }

    [Fact]
    public async Task Opening_direct_conversations_counts_against_the_sender_only()
    {
        await using var sender = await server.ConnectAsync(NewUser("sender"));
        var recipients = Enumerable.Range(0, 3).Select(i => NewUser($"to{i}")).ToList();
        await sender.OkAsync("dm", ("to", recipients[0]), ("text", "hi"));
        await sender.OkAsync("dm", ("to", recipients[1]), ("text", "hi"));
        Assert.Equal("quota_exceeded", (await sender.RequestAsync("dm", ("to", recipients[2]), ("text", "hi"))).Str("code"));

        // The recipient's own quotas are untouched: they may still create rooms themselves.
        await using var recipient = await server.ConnectAsync(recipients[0]);
        await recipient.OkAsync("join", ("room", NewRoom("own")));
        await recipient.OkAsync("dm", ("to", NewUser("back")), ("text", "hi"));
    }

    [Fact]
    public async Task A_user_belongs_to_only_so_many_rooms_and_leaving_one_makes_room_for_another()
    {
        // Rooms made by two others, so the member's creation quota plays no part.
        var rooms = Enumerable.Range(0, 4).Select(i => NewRoom($"m{i}")).ToList();
        await using (var a = await server.ConnectAsync(NewUser("maker")))
        await using (var b = await server.ConnectAsync(NewUser("maker")))
        {
            await a.OkAsync("join", ("room", rooms[0]));
            await a.OkAsync("join", ("room", rooms[1]));
            await b.OkAsync("join", ("room", rooms[2]));
            await b.OkAsync("join", ("room", rooms[3]));
        }

        await using var member = await server.ConnectAsync(NewUser("member"));
        foreach (var room in rooms.Take(3))
        {
            await member.OkAsync("join", ("room", room));
        }

        var fourth = await member.RequestAsync("join", ("room", rooms[3]));
        Assert.Equal("quota_exceeded", fourth.Str("code"));
        Assert.Equal(3, (await member.OkAsync("rooms")).GetProperty("rooms").GetArrayLength());

        // Direct conversations do not count: others cannot use up someone's quota by writing to them.
        await using var writer = await server.ConnectAsync(NewUser("writer"));
        await writer.OkAsync("dm", ("to", member.User), ("text", "hello"));

        await member.OkAsync("leave", ("room", rooms[0]));
        await member.OkAsync("join", ("room", rooms[3]));
    }

    [Fact]
    public async Task Invitations_are_for_private_rooms_and_a_room_holds_only_so_many()
    {
        await using var owner = await server.ConnectAsync(NewUser("owner"));
        var open = NewRoom("open");
        await owner.OkAsync("join", ("room", open));
        var toPublic = await owner.RequestAsync("invite", ("room", open), ("user", NewUser("ghost")));
        Assert.Equal("bad_request", toPublic.Str("code"));

        var closed = NewRoom("closed");
        await owner.OkAsync("join", ("room", closed), ("private", true));
        var guests = Enumerable.Range(0, 3).Select(i => NewUser($"guest{i}")).ToList();
        await owner.OkAsync("invite", ("room", closed), ("user", guests[0]));
        await owner.OkAsync("invite", ("room", closed), ("user", guests[1]));
        await owner.OkAsync("invite", ("room", closed), ("user", guests[1]));
        Assert.Equal("quota_exceeded", (await owner.RequestAsync("invite", ("room", closed), ("user", guests[2]))).Str("code"));

        // Taking one up frees its place.
        await using var first = await server.ConnectAsync(guests[0]);
        await first.OkAsync("join", ("room", closed));
        await owner.OkAsync("invite", ("room", closed), ("user", guests[2]));
    }
}
