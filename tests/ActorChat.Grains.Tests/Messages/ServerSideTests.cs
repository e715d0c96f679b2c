using ActorChat.Contracts;

namespace ActorChat.Grains.Tests.Messages;

/// <summary>What a backend does through the server API, at the grains: bots, rooms it opens, members it adds and removes, revoked sessions.</summary>
[Collection(ClockedCollection.Name)]
public sealed class ServerSideTests(ClockedFixture fixture)
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_backend_opens_a_private_room_with_members_and_posts_as_a_bot_deduplicated()
    {
        var room = fixture.Client.GetGrain<IRoomGrain>($"opened-{_run}");
        var (owner, guest) = ($"owner{_run}", $"guest{_run}");
        var info = await room.Open(owner, isPrivate: true, [guest, owner]);
        Assert.Equal((true, true, 2), (info.Exists, info.IsPrivate, info.MemberCount));
        Assert.Equal(RoomRole.Owner, (await room.Roster(null, 10)).Members.Single(m => m.User == owner).Role);
        Assert.Equal(ChatErrorCode.Conflict, (await Assert.ThrowsAsync<ChatException>(() => room.Open(owner, false, []))).Code);

        var first = await room.PostAs(SenderKind.Bot, "deploybot", new MessageDraft("build 42 is out", "b42"));
        var again = await room.PostAs(SenderKind.Bot, "deploybot", new MessageDraft("build 42 is out", "b42"));
        Assert.Equal((first.Seq, true), (again.Seq, again.Duplicate));

        // A user of the same name has client ids of their own.
        var user = await room.Admit("deploybot");
        Assert.True(user);
        var theirs = await room.Post("deploybot", new MessageDraft("me too", "b42"));
        Assert.False(theirs.Duplicate);

        var messages = (await room.Browse(null, 10)).Messages;
        Assert.Equal([SenderKind.Bot, SenderKind.User], messages.Select(m => m.Kind));
        Assert.Equal(ChatErrorCode.BadRequest, (await Assert.ThrowsAsync<ChatException>(() => room.PostAs(SenderKind.User, "x", new MessageDraft("x", null)))).Code);
    }

    [Fact]
    public async Task A_backend_adds_past_privacy_and_bans_and_removes_a_member()
    {
        var room = fixture.Client.GetGrain<IRoomGrain>($"admitted-{_run}");
        var (owner, guest) = ($"owner{_run}", $"guest{_run}");
        await room.JoinPrivate(owner);
        await room.Moderate(owner, guest, ModerationAction.Ban, null);
        Assert.True(await room.Admit(guest));
        Assert.False(await room.Admit(guest));
        Assert.True(await room.IsMember(guest));

        Assert.True(await room.Remove(guest, "api:backend"));
        Assert.False(await room.Remove(guest, "api:backend"));
        var removal = (await room.ReadLog(0, 100)).Entries.OfType<MemberModerated>().Last();
        Assert.Equal((guest, ModerationAction.Kick, "api:backend"), (removal.User, removal.Action, removal.Moderator));
    }

    [Fact]
    public async Task Ended_sessions_with_revoked_tokens_refuse_tokens_issued_before()
    {
        var user = fixture.Client.GetGrain<IUserGrain>($"revoked{_run}");
        var issued = fixture.Clock.GetUtcNow();
        Assert.True(await user.Connect("c1", issued));
        await user.EndSessions(revokeTokens: true);
        Assert.False(await user.Accepts(issued));
        Assert.False(await user.Connect("c2", issued));
        Assert.False(await user.Accepts(null));

        fixture.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await user.Connect("c3", fixture.Clock.GetUtcNow()));
    }
}
