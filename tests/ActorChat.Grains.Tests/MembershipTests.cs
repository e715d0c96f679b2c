using ActorChat.Contracts;

namespace ActorChat.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class MembershipTests(ClusterFixture fixture)
{
    private static string NewRoom() => $"mem-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Joining_and_leaving_updates_the_room_and_the_users_rooms()
    {
        var roomId = NewRoom();
        var room = fixture.Client.GetGrain<IRoomGrain>(roomId);
        var carol = fixture.Client.GetGrain<IUserGrain>($"carol-{roomId}");
        var carolId = carol.GetPrimaryKeyString();

        // Dave creates (and owns) the room; Carol, a member, is free to leave.
        Assert.False((await room.Info()).Exists);
        await room.Join("dave");
        var joined = await room.Join(carolId);
        var again = await room.Join(carolId);

        Assert.Equal(2, joined.MemberCount);
        Assert.Equal(2, again.MemberCount);
        Assert.True((await room.Info()).Exists);
        Assert.Contains(await carol.Rooms(), r => r.Room == roomId);
        var members = await room.Members(carolId, null, 10);
        Assert.Equal(new[] { carolId, "dave" }.Order(StringComparer.Ordinal), members.Members.Select(m => m.User));

        Assert.True(await room.Leave(carolId));
        Assert.False(await room.Leave(carolId));
        Assert.DoesNotContain(await carol.Rooms(), r => r.Room == roomId);
        Assert.False(await room.IsMember(carolId));
    }

    [Fact]
    public async Task Read_pointers_move_forward_only_and_never_past_the_last_message()
    {
        var roomId = NewRoom();
        var room = fixture.Client.GetGrain<IRoomGrain>(roomId);
        var reader = $"reader-{roomId}";
        await room.Join(reader);
        await room.Join("writer");
        for (var i = 0; i < 5; i++)
        {
            await room.Send("writer", $"m{i}", null);
        }

        Assert.Equal(3, await room.Read(reader, 3));
        Assert.Equal(3, await room.Read(reader, 2));
        Assert.Equal(5, await room.Read(reader, 999));
        var rooms = await fixture.Client.GetGrain<IUserGrain>(reader).Rooms();
        Assert.Equal(5, Assert.Single(rooms).LastRead);

        var outsider = await Assert.ThrowsAsync<ChatException>(() => room.Read("outsider", 1));
        Assert.Equal(ChatErrorCode.NotMember, outsider.Code);
    }

    [Fact]
    public async Task Members_page_in_user_order_and_report_who_is_online()
    {
        var roomId = NewRoom();
        var room = fixture.Client.GetGrain<IRoomGrain>(roomId);
        var users = Enumerable.Range(0, ClusterFixture.PresenceMemberLimit).Select(i => $"{roomId}-u{i}").ToArray();
        foreach (var user in users.Reverse())
        {
            await room.Join(user);
        }

        await fixture.Client.GetGrain<IUserGrain>(users[2]).Connect("c1");

        var first = await room.Members(users[0], null, 3);
        var second = await room.Members(users[0], first.Members[^1].User, 3);

        Assert.True(first.HasMore);
        Assert.False(second.HasMore);
        Assert.False(first.PresenceOff || second.PresenceOff);
        Assert.Equal(users, first.Members.Concat(second.Members).Select(m => m.User));
        Assert.Equal([users[2]], first.Members.Concat(second.Members).Where(m => m.Online).Select(m => m.User));
        await fixture.Client.GetGrain<IUserGrain>(users[2]).Disconnect("c1");
    }

    [Fact]
    public async Task Members_pages_of_a_room_above_the_presence_limit_say_nothing_of_who_is_online_and_wake_no_user_grain()
    {
        var roomId = NewRoom();
        var room = fixture.Client.GetGrain<IRoomGrain>(roomId);
        var users = Enumerable.Range(0, ClusterFixture.PresenceMemberLimit + 2).Select(i => $"{roomId}-u{i}").ToArray();
        foreach (var user in users)
        {
            await room.Join(user);
        }

        await fixture.Client.GetGrain<IUserGrain>(users[0]).Connect("c1");

        var page = await room.Members(users[0], null, users.Length);
        var roster = await room.Roster(null, users.Length);

        Assert.Equal(users, page.Members.Select(m => m.User));
        Assert.True(page.PresenceOff && roster.PresenceOff);
        Assert.All(page.Members.Concat(roster.Members), m => Assert.False(m.Online));

        // Only the member who connected has a user grain: listing the others activated none of theirs.
        var management = fixture.Client.GetGrain<IManagementGrain>(0);
        Assert.NotNull(await management.GetActivationAddress(fixture.Client.GetGrain<IUserGrain>(users[0])));
        foreach (var user in users.Skip(1))
        {
            Assert.Null(await management.GetActivationAddress(fixture.Client.GetGrain<IUserGrain>(user)));
        }

        await fixture.Client.GetGrain<IUserGrain>(users[0]).Disconnect("c1");
    }

    [Fact]
    public async Task A_direct_room_has_a_canonical_id_and_belongs_to_its_two_users()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (alice, bob) = ($"alice{suffix}", $"bob{suffix}");
        var id = ChatIds.Direct(bob, alice);
        Assert.Equal($"dm:{alice}:{bob}", id);
        Assert.Equal(id, ChatIds.Direct(alice, bob));
        Assert.False(ChatIds.IsValidRoom($"dm:{bob}:{alice}"));

        var room = fixture.Client.GetGrain<IRoomGrain>(id);
        var sent = await room.Send(alice, "psst", null);
        Assert.Equal(1, sent.Seq);

        // The first message makes both participants members, so read pointers and unread work as in any room.
        Assert.Contains(await fixture.Client.GetGrain<IUserGrain>(bob).Rooms(), r => r.Room == id);
        Assert.Equal(1, await room.Read(bob, 1));

        var intruderJoin = await Assert.ThrowsAsync<ChatException>(() => room.Join("mallory"));
        Assert.Equal(ChatErrorCode.Forbidden, intruderJoin.Code);
        var intruderSend = await Assert.ThrowsAsync<ChatException>(() => room.Send("mallory", "hi", null));
        Assert.Equal(ChatErrorCode.Forbidden, intruderSend.Code);
        var intruderRead = await Assert.ThrowsAsync<ChatException>(() => room.History("mallory", null, 10));
        Assert.Equal(ChatErrorCode.Forbidden, intruderRead.Code);
        var intruderMembers = await Assert.ThrowsAsync<ChatException>(() => room.Members("mallory", null, 10));
        Assert.Equal(ChatErrorCode.Forbidden, intruderMembers.Code);
        Assert.True((await room.Info()).IsDirect);
    }
}
