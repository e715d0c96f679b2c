using static ActorChat.Client.Tests.Clients;

namespace ActorChat.Client.Tests;

/// <summary>
/// Messages people fix and rooms their owners moderate (protocol.md, "Changes"): typed requests and the typed events
/// everyone following the room gets, each once. These need the server's edit, delete, reaction and moderation requests.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ModerationTests(ChatServer server)
{
    [Fact]
    public async Task Replies_edits_reactions_and_deletions_arrive_as_typed_events_and_history_shows_the_result()
    {
        var room = NewRoom("fixes");
        var (aliceId, bobId) = (NewUser("alice"), NewUser("bob"));
        await using var alice = await ConnectedAsync(server, aliceId);
        await using var bob = await ConnectedAsync(server, bobId);
        using var seen = new EventLog(bob);
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);

        var first = await alice.SendAsync(room, "frist");
        var reply = await bob.SendAsync(room, "you mean first?", replyTo: first.Seq, mentions: [aliceId]);
        var replied = await seen.WaitForAsync<ChatMessage>(m => m.Seq == reply.Seq);
        Assert.Equal(first.Seq, replied.ReplyTo);
        Assert.Equal([aliceId], replied.Mentions!);

        var edit = await alice.EditAsync(room, first.Seq, "first");
        var edited = await seen.WaitForAsync<MessageEdited>();
        Assert.Equal((first.Seq, "first", aliceId, edit.LogSeq), (edited.Seq, edited.Text, edited.By, edited.LogSeq));

        Assert.Equal(1, (await bob.ReactAsync(room, first.Seq, "👍")).Count);
        Assert.Equal(1, (await bob.ReactAsync(room, first.Seq, "👍")).Count);
        var reacted = await seen.WaitForAsync<ReactionChanged>();
        Assert.Equal(("👍", bobId, true, 1), (reacted.Emoji, reacted.User, reacted.Added, reacted.Count));

        var deletion = await alice.DeleteAsync(room, reply.Seq);
        var deleted = await seen.WaitForAsync<MessageDeleted>();
        Assert.Equal((reply.Seq, aliceId, deletion.LogSeq), (deleted.Seq, deleted.By, deleted.LogSeq));

        var history = await bob.HistoryAsync(room);
        var fixedMessage = history.Messages.Single(m => m.Seq == first.Seq);
        Assert.Equal(("first", true), (fixedMessage.Text, fixedMessage.EditedAt is not null));
        Assert.Equal([new ReactionCount("👍", 1, true)], fixedMessage.Reactions!);
        var gone = history.Messages.Single(m => m.Seq == reply.Seq);
        Assert.Equal((true, null), (gone.Deleted, gone.Text));

        // Positions are one sequence per room: each change once, after the message it changes.
        Assert.Single(seen.All<ReactionChanged>());
        Assert.Equal(deletion.LogSeq, bob.PositionOf(room));
    }

    [Fact]
    public async Task Owners_set_roles_mute_ban_and_change_settings_and_everyone_is_told()
    {
        var room = NewRoom("moderated");
        var (ownerId, memberId) = (NewUser("owner"), NewUser("member"));
        await using var owner = await ConnectedAsync(server, ownerId);
        await using var member = await ConnectedAsync(server, memberId);
        using var told = new EventLog(member);
        Assert.Equal(RoomRoles.Owner, (await owner.JoinAsync(room)).Role);
        await member.JoinAsync(room);

        var settings = await owner.UpdateSettingsAsync(room, topic: "be kind", slowMode: 0);
        Assert.Equal(new SettingsResult(room, "be kind", 0), settings);
        Assert.Equal("be kind", (await told.WaitForAsync<SettingsChanged>()).Topic);

        await owner.MuteAsync(room, memberId, DateTimeOffset.UtcNow.AddHours(1));
        var muted = await Assert.ThrowsAsync<ChatException>(() => member.SendAsync(room, "can I?"));
        Assert.Equal(ChatErrorCodes.Muted, muted.Code);
        Assert.True(muted.RetryAfter > TimeSpan.FromMinutes(50));
        await owner.UnmuteAsync(room, memberId);
        await member.SendAsync(room, "thanks");

        Assert.Equal(new RoleResult(room, memberId, RoomRoles.Admin), await owner.SetRoleAsync(room, memberId, RoomRoles.Admin));
        await owner.SetRoleAsync(room, memberId, RoomRoles.Member);

        await owner.BanAsync(room, memberId);
        var banned = await told.WaitForAsync<MemberModerated>(m => m.Action == ModerationActions.Ban);
        Assert.Equal((memberId, ownerId), (banned.User, banned.By));
        Assert.Equal(ChatErrorCodes.Forbidden, (await Assert.ThrowsAsync<ChatException>(() => member.JoinAsync(room))).Code);
        await owner.UnbanAsync(room, memberId);
        await member.JoinAsync(room);
    }
}
