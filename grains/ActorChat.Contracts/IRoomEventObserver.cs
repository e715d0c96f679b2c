using Orleans.Concurrency;

namespace ActorChat.Contracts;

/// <summary>
/// A front-end node's one receiver of room events: a room grain holds the nodes that follow it
/// (<see cref="IRoomGrain.Watch"/>) and hands each committed batch to each of them once, right after storing it. One
/// observer per node, not a stream per room: a stream cost every event a queue grain and a pulling agent's poll, and
/// the agents polled whether or not anything happened.
/// </summary>
[Alias("ActorChat.IRoomEventObserver")]
public interface IRoomEventObserver : IGrainObserver
{
    /// <summary>One-way: a room never waits on a front end. Events come in log order; a node repairs a gap from the room.</summary>
    [OneWay]
    [Alias("OnRoomEvents")]
    Task OnRoomEvents(string room, RoomEvent[] events);

    /// <summary>The room's activation is going away (and with it the nodes it tells): watch again to follow its next one.</summary>
    [OneWay]
    [Alias("OnRoomMoved")]
    Task OnRoomMoved(string room);
}
