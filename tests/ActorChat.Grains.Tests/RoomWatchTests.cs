using ActorChat.Contracts;

namespace ActorChat.Grains.Tests;

/// <summary>How a room tells the front-end nodes that watch it: once each, never after they stopped, and again after its activation moved.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RoomWatchTests(ClusterFixture fixture)
{
    private static string NewRoom() => $"watch-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task A_watch_answers_the_position_and_is_told_everything_after_it_once()
    {
        var roomId = NewRoom();
        var room = fixture.Client.GetGrain<IRoomGrain>(roomId);
        await room.Join("w");
        await room.Send("w", "before", null);

        var (probe, position) = await RoomEventProbe.WatchAsync(fixture.Client, roomId);
        Assert.Equal(1, position);

        // Watching twice is watching once.
        Assert.Equal(1, await probe.WatchAsync());
        await room.Send("w", "after 1", null);
        await room.Send("w", "after 2", null);
        Assert.Equal("after 1", Assert.IsType<MessagePosted>(await probe.NextAsync()).Message.Text);
        Assert.Equal("after 2", Assert.IsType<MessagePosted>(await probe.NextAsync()).Message.Text);
        Assert.Equal(0, probe.Pending);
        await probe.UnwatchAsync();
    }

    [Fact]
    public async Task A_late_watch_and_unwatch_of_a_replaced_feed_leave_the_newer_watch_and_an_unwatch_stops_the_events()
    {
        var roomId = NewRoom();
        var room = fixture.Client.GetGrain<IRoomGrain>(roomId);
        await room.Join("w");
        var (node, _) = await RoomEventProbe.WatchAsync(fixture.Client, roomId);
        var (other, _) = await RoomEventProbe.WatchAsync(fixture.Client, roomId);

        // The node's old feed (an older number, same observer) watches and unwatches after the new one watched, as a
        // check under way when it stopped would: nothing changes.
        Assert.Equal(0, await room.Watch(node.Reference, node.Feed - 1));
        await room.Unwatch(node.Reference, node.Feed - 1);
        await room.Send("w", "one", null);
        Assert.Equal("one", Assert.IsType<MessagePosted>(await node.NextAsync()).Message.Text);
        Assert.Equal("one", Assert.IsType<MessagePosted>(await other.NextAsync()).Message.Text);

        await node.UnwatchAsync();
        await room.Send("w", "two", null);
        Assert.Equal("two", Assert.IsType<MessagePosted>(await other.NextAsync()).Message.Text);

        // Told in order on one path: had "two" gone to the node, it would come before "three".
        await node.WatchAsync();
        await room.Send("w", "three", null);
        Assert.Equal("three", Assert.IsType<MessagePosted>(await node.NextAsync()).Message.Text);
        await node.UnwatchAsync();
        await other.UnwatchAsync();
    }

    [Fact]
    public async Task A_room_whose_activation_goes_away_tells_its_watchers_so_they_watch_the_next_one()
    {
        var roomId = NewRoom();
        var room = fixture.Client.GetGrain<IRoomGrain>(roomId);
        await room.Join("w");
        var (probe, _) = await RoomEventProbe.WatchAsync(fixture.Client, roomId);

        // Forgetting a user deactivates the room, as erasure does.
        await room.Forget("somebody");
        Assert.Equal(roomId, await probe.MovedAsync());

        // The next activation knows no watchers until they watch again.
        await room.Send("w", "unheard", null);
        Assert.Equal(1, await probe.WatchAsync());
        await room.Send("w", "heard", null);
        Assert.Equal("heard", Assert.IsType<MessagePosted>(await probe.NextAsync()).Message.Text);
        await probe.UnwatchAsync();
    }

    [Fact]
    public async Task With_stream_publishing_on_events_also_go_out_on_the_room_stream_for_front_ends_of_earlier_releases()
    {
        var roomId = NewRoom();
        var room = fixture.Client.GetGrain<IRoomGrain>(roomId);
        await room.Join("old");
        var (probe, handle) = await EventProbe.SubscribeAsync<RoomEvent>(fixture.Client, ChatStreams.ForRoom(roomId));

        await room.Send("old", "to an old front end", null);
        var posted = Assert.IsType<MessagePosted>(await probe.NextAsync(e => e is PresenceChanged));
        Assert.Equal("to an old front end", posted.Message.Text);
        await handle.UnsubscribeAsync();
    }
}

/// <summary>Watches that lapse, on a clock the test moves.</summary>
[Collection(ClockedCollection.Name)]
public sealed class RoomWatchExpiryTests(ClockedFixture fixture)
{
    [Fact]
    public async Task A_watch_not_renewed_within_the_expiry_is_no_longer_told()
    {
        var roomId = $"lapse-{Guid.NewGuid():N}"[..20];
        var room = fixture.Client.GetGrain<IRoomGrain>(roomId);
        await room.Join("w");
        var (dead, _) = await RoomEventProbe.WatchAsync(fixture.Client, roomId);
        var (live, _) = await RoomEventProbe.WatchAsync(fixture.Client, roomId);

        // The default expiry is a minute; the live node renews within it, the dead one never does.
        fixture.Clock.Advance(TimeSpan.FromSeconds(40));
        await live.WatchAsync();
        fixture.Clock.Advance(TimeSpan.FromSeconds(40));
        await room.Send("w", "lapsed", null);
        Assert.Equal("lapsed", Assert.IsType<MessagePosted>(await live.NextAsync()).Message.Text);

        // Told in order on one path: had "lapsed" gone to the dead node, it would come before "renewed".
        await dead.WatchAsync();
        await room.Send("w", "renewed", null);
        Assert.Equal("renewed", Assert.IsType<MessagePosted>(await dead.NextAsync()).Message.Text);
        await dead.UnwatchAsync();
        await live.UnwatchAsync();
    }
}
