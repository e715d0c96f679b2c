using ActorChat.Contracts;

namespace ActorChat.FrontEnd.Relay;

/// <summary>
/// This node's one observer of room events: room grains tell it what happened in rooms followed here, and it hands
/// the events to the room's feed on this node, if a local connection still follows the room.
/// </summary>
internal sealed class NodeRoomEvents : IRoomEventObserver
{
    private readonly Func<string, RoomFeed?> _find;
    private readonly Lazy<IRoomEventObserver> _reference;
    private readonly CancellationToken _stopping;
    private long _feeds;

    /// <summary>Once <paramref name="stopping"/> is signalled, rooms that move are not watched again.</summary>
    public NodeRoomEvents(IClusterClient client, Func<string, RoomFeed?> find, CancellationToken stopping)
    {
        _find = find;
        _stopping = stopping;

        // Made on first use, once the cluster client runs; the relay holds this object, so the reference stays valid.
        _reference = new Lazy<IRoomEventObserver>(() => client.CreateObjectReference<IRoomEventObserver>(this));
    }

    /// <summary>The reference room grains call.</summary>
    public IRoomEventObserver Reference => _reference.Value;

    /// <summary>A number for a new feed, above every earlier one's: rooms keep the watch of a node's newest feed.</summary>
    public long NextFeedId() => Interlocked.Increment(ref _feeds);

    public Task OnRoomEvents(string room, RoomEvent[] events)
    {
        _find(room)?.Enqueue(events);
        return Task.CompletedTask;
    }

    public Task OnRoomMoved(string room)
    {
        // A node that stops hears every room of its own silo go away: watching them again would only hold up the
        // silo's shutdown with activations it refuses.
        if (!_stopping.IsCancellationRequested && _find(room) is { } feed)
        {
            _ = feed.MovedAsync();
        }

        return Task.CompletedTask;
    }
}
