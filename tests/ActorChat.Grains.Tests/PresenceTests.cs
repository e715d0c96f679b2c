using ActorChat.Contracts;

namespace ActorChat.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class PresenceTests(ClusterFixture fixture)
{
    private static string NewRoom() => $"pre-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task First_connection_makes_a_member_online_and_the_last_one_closing_makes_them_offline()
    {
        var roomId = NewRoom();
        var room = fixture.Client.GetGrain<IRoomGrain>(roomId);
        var user = $"{roomId}-erin";
        var erin = fixture.Client.GetGrain<IUserGrain>(user);
        await room.Join("marker");
        var (probe, _) = await RoomEventProbe.WatchAsync(fixture.Client, roomId);

        await room.Join(user);
        Assert.Equal(new PresenceChanged(roomId, user, PresenceStatus.Joined), await probe.NextAsync(e => e is PresenceChanged { User: "marker" }));

        await erin.Connect("a");
        Assert.Equal(new PresenceChanged(roomId, user, PresenceStatus.Online), await probe.NextAsync());

        // A second connection and closing one of two change nothing; the marker proves no event came in between.
        await erin.Connect("b");
        await erin.Disconnect("a");
        await room.Typing("marker");
        Assert.Equal(new UserTyping(roomId, "marker"), await probe.NextAsync());

        await erin.Disconnect("b");
        Assert.Equal(new PresenceChanged(roomId, user, PresenceStatus.Offline), await probe.NextAsync());

        await room.Leave(user);
        Assert.Equal(new PresenceChanged(roomId, user, PresenceStatus.Left), await probe.NextAsync());
        await probe.UnwatchAsync();
    }

    [Fact]
    public async Task Rooms_above_the_member_limit_emit_no_presence_typing_or_read_but_messages_flow()
    {
        var roomId = NewRoom();
        var room = fixture.Client.GetGrain<IRoomGrain>(roomId);
        for (var i = 0; i <= ClusterFixture.PresenceMemberLimit; i++)
        {
            await room.Join($"{roomId}-m{i}");
        }

        var (probe, _) = await RoomEventProbe.WatchAsync(fixture.Client, roomId);
        var newcomer = $"{roomId}-late";
        await room.Join(newcomer);
        await fixture.Client.GetGrain<IUserGrain>(newcomer).Connect("x");
        await room.Typing(newcomer);
        var sent = await room.Send(newcomer, "still delivered", null);
        await room.Read(newcomer, sent.Seq);
        var second = await room.Send(newcomer, "and again", null);

        var earlierJoins = (RoomEvent e) => e is PresenceChanged { Status: PresenceStatus.Joined } p && p.User != newcomer;
        var first = Assert.IsType<MessagePosted>(await probe.NextAsync(earlierJoins));
        Assert.Equal(sent.Seq, first.Message.Seq);
        var next = Assert.IsType<MessagePosted>(await probe.NextAsync());
        Assert.Equal(second.Seq, next.Message.Seq);
        await fixture.Client.GetGrain<IUserGrain>(newcomer).Disconnect("x");
        await probe.UnwatchAsync();
    }

    [Fact]
    public async Task Messages_are_published_in_sequence_order_after_they_are_stored()
    {
        var roomId = NewRoom();
        var room = fixture.Client.GetGrain<IRoomGrain>(roomId);
        await room.Join("pub");
        var (probe, _) = await RoomEventProbe.WatchAsync(fixture.Client, roomId);

        for (var i = 1; i <= 40; i++)
        {
            await room.Send("pub", $"n{i}", null);
        }

        for (var i = 1; i <= 40; i++)
        {
            var posted = Assert.IsType<MessagePosted>(await probe.NextAsync());
            Assert.Equal(i, posted.Message.Seq);

            // Stored before published: the grain can serve it by the time anyone hears of it.
            var stored = await room.ReadRange(i - 1, 1);
            Assert.Equal(posted.Message, Assert.Single(stored.Messages));
        }

        await probe.UnwatchAsync();
    }

    [Fact]
    public async Task A_direct_message_and_ended_sessions_are_told_to_each_attached_node_once_and_not_after_it_detached()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (alice, bob) = ($"alice{suffix}", $"bob{suffix}");
        var user = fixture.Client.GetGrain<IUserGrain>(bob);
        var (first, second) = (new UserEventProbe(), new UserEventProbe());
        var (firstNode, secondNode) = (fixture.Client.CreateObjectReference<IUserEventObserver>(first), fixture.Client.CreateObjectReference<IUserEventObserver>(second));

        // Attached twice, told once.
        var (firstFeed, secondFeed) = (Guid.NewGuid(), Guid.NewGuid());
        await user.Attach(firstNode, firstFeed);
        await user.Attach(firstNode, firstFeed);
        await user.Attach(secondNode, secondFeed);
        var id = ChatIds.Direct(alice, bob);
        await fixture.Client.GetGrain<IRoomGrain>(id).Send(alice, "for bob", "dm-1");
        foreach (var probe in new[] { first, second })
        {
            var (to, received) = await probe.NextAsync();
            var message = Assert.IsType<DirectMessageReceived>(received).Message;
            Assert.Equal((bob, id, 1L, alice, "for bob"), (to, message.Room, message.Seq, message.From, message.Text));
        }

        // The first node's last connection of bob closed: only the second hears what follows.
        await user.Detach(firstNode, firstFeed);
        await user.EndSessions(revokeTokens: false);
        Assert.IsType<SessionsEnded>((await second.NextAsync()).Event);
        await fixture.Client.GetGrain<IRoomGrain>(id).Send(alice, "again", "dm-2");
        Assert.Equal(2L, Assert.IsType<DirectMessageReceived>((await second.NextAsync()).Event).Message.Seq);
        Assert.Equal(0, first.Pending);
        await user.Detach(secondNode, secondFeed);
        fixture.Client.DeleteObjectReference<IUserEventObserver>(firstNode);
        fixture.Client.DeleteObjectReference<IUserEventObserver>(secondNode);
    }

    [Fact]
    public async Task A_late_detach_of_a_replaced_feed_keeps_the_node_attached_and_a_new_activation_hears_the_node_once_it_attaches_again()
    {
        var bob = $"bob{Guid.NewGuid():N}"[..16];
        var user = fixture.Client.GetGrain<IUserGrain>(bob);
        var probe = new UserEventProbe();
        var node = fixture.Client.CreateObjectReference<IUserEventObserver>(probe);

        // The node's feed of bob was replaced (all its connections closed, a new one opened) and the old feed's
        // detach came last: the node stays attached for the new feed.
        var (old, replacement) = (Guid.NewGuid(), Guid.NewGuid());
        await user.Attach(node, old);
        await user.Attach(node, replacement);
        await user.Detach(node, old);
        await user.EndSessions(revokeTokens: false);
        Assert.IsType<SessionsEnded>((await probe.NextAsync()).Event);

        // A new activation (its silo lost) knows no node until the node attaches again, which front ends do periodically.
        await fixture.Cluster.DeactivateAsync(user);
        await user.Attach(node, replacement);
        await user.EndSessions(revokeTokens: false);
        Assert.IsType<SessionsEnded>((await probe.NextAsync()).Event);
        await user.Detach(node, replacement);
        fixture.Client.DeleteObjectReference<IUserEventObserver>(node);
    }
}
