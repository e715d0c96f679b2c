using ActorChat.Contracts;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace ActorChat.Grains.Rooms;

/// <summary>
/// Hands a room's events to the front-end nodes that watch it, and direct messages to both participants' user grains.
/// Telling a node is a one-way call, never awaited: a node that is slow or gone costs a dropped message, and relays
/// repair gaps from storage. A failed hand-off is logged, never thrown: the message is stored.
/// </summary>
internal sealed partial class RoomEvents(string room, Func<IAsyncStream<RoomEvent>?> legacyStream, IGrainFactory grains, TimeProvider time,
    TimeSpan watchExpiry, ILogger logger)
{
    // As many as front-end nodes follow the room.
    private readonly Watchers<IRoomEventObserver> _watchers = new(time, watchExpiry);
    private IAsyncStream<RoomEvent>? _stream;
    private bool _streamResolved;

    public void Watch(IRoomEventObserver node, long feed) => _watchers.Watch(node, feed);

    public void Unwatch(IRoomEventObserver node, long feed) => _watchers.Unwatch(node, feed);

    /// <summary>Tells every watcher that this activation ends, so each watches the next one at once.</summary>
    public void Moving()
    {
        foreach (var node in _watchers.Live())
        {
            node.OnRoomMoved(room).Ignore();
        }

        _watchers.Clear();
    }

    public Task PublishAsync(RoomEvent roomEvent) => PublishAsync([roomEvent]);

    /// <summary>
    /// Tells the watchers synchronously, before the first await: a watch that interleaves with a commit either sees
    /// the commit's position or is told of it.
    /// </summary>
    public async Task PublishAsync(RoomEvent[] events)
    {
        foreach (var node in _watchers.Live())
        {
            node.OnRoomEvents(room, events).Ignore();
        }

        if (LegacyStream() is not { } stream)
        {
            return;
        }

        try
        {
            await (events.Length == 1 ? stream.OnNextAsync(events[0]) : stream.OnNextBatchAsync(events));
        }
        catch (Exception ex)
        {
            LogPublishFailed(logger, ex, room);
        }
    }

    public async Task DeliverDirectAsync(string user, ChatMessage message)
    {
        try
        {
            await grains.User(user).DeliverDirect(message);
        }
        catch (Exception ex)
        {
            LogPublishFailed(logger, ex, room);
        }
    }

    // Front ends of the release before followed rooms on streams; made once, and only while an upgrade needs it.
    private IAsyncStream<RoomEvent>? LegacyStream()
    {
        if (!_streamResolved)
        {
            _stream = legacyStream();
            _streamResolved = true;
        }

        return _stream;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing an event of room {Room} failed; relays repair gaps from storage")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string room);
}
