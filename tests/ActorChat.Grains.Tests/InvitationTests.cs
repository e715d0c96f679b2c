using ActorChat.Contracts;

namespace ActorChat.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class InvitationTests(ClusterFixture fixture)
{
    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private async Task<IRoomGrain> PrivateRoomAsync(string owner)
    {
        var room = fixture.Client.GetGrain<IRoomGrain>(NewId("inv"));
        await room.JoinPrivate(owner);
        return room;
    }

    [Fact]
    public async Task An_invitation_is_kept_until_the_invitee_joins()
    {
        var (owner, guest) = (NewId("owner"), NewId("guest"));
        var room = await PrivateRoomAsync(owner);
        var roomId = room.GetPrimaryKeyString();
        var invitee = fixture.Client.GetGrain<IUserGrain>(guest);

        await room.Invite(owner, guest);
        var invitation = Assert.Single(await invitee.Invitations());
        Assert.Equal((roomId, owner), (invitation.Room, invitation.By));

        await room.Join(guest);
        Assert.Empty(await invitee.Invitations());

        // A member is not invited again.
        await room.Invite(owner, guest);
        Assert.Empty(await invitee.Invitations());
    }

    [Fact]
    public async Task A_declined_invitation_is_dropped_and_the_private_room_refuses_until_invited_again()
    {
        var (owner, guest) = (NewId("owner"), NewId("guest"));
        var room = await PrivateRoomAsync(owner);
        var invitee = fixture.Client.GetGrain<IUserGrain>(guest);

        await room.Invite(owner, guest);
        await room.Decline(guest);
        Assert.Empty(await invitee.Invitations());
        var refused = await Assert.ThrowsAsync<ChatException>(() => room.Join(guest));
        Assert.Equal(ChatErrorCode.NotFound, refused.Code);

        await room.Invite(owner, guest);
        Assert.Single(await invitee.Invitations());
        Assert.Equal(2, (await room.Join(guest)).MemberCount);
    }

    [Fact]
    public async Task Beyond_the_limit_the_oldest_notices_give_way_but_their_rooms_still_admit()
    {
        var (owner, guest) = (NewId("owner"), NewId("guest"));
        var rooms = new List<IRoomGrain>();
        for (var i = 0; i < ClusterFixture.MaxPendingInvitations + 2; i++)
        {
            var room = await PrivateRoomAsync(owner);
            await room.Invite(owner, guest);
            rooms.Add(room);
        }

        // Inviting again to the first room makes its notice the newest.
        await rooms[0].Invite(owner, guest);
        var kept = (await fixture.Client.GetGrain<IUserGrain>(guest).Invitations()).Select(i => i.Room);
        var expected = rooms.Skip(3).Append(rooms[0]).Select(r => r.GetPrimaryKeyString());
        Assert.Equal(expected, kept);

        // The notice was dropped, the admission was not.
        Assert.Equal(2, (await rooms[1].Join(guest)).MemberCount);
    }
}
