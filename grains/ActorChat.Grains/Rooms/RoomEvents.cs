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
    // As many as front-end nodes follow the room, each with the feed that watched last and when.
    private readonly Dictionary<IRoomEventObserver, (Guid Feed, long At)> _watchers = [];
    private IAsyncStream<RoomEvent>? _stream;
    private bool _streamResolved;

    public int WatcherCount => _watchers.Count;

    public void Watch(IRoomEventObserver node, Guid feed)
    {
        var now = time.GetTimestamp();
        _watchers[node] = (feed, now);

        // Lapsed watches go when a live node renews: every node renews each check interval, so this runs often enough.
        List<IRoomEventObserver>? lapsed = null;
        foreach (var (watcher, (_, at)) in _watchers)
        {
            if (time.GetElapsedTime(at, now) > watchExpiry)
            {
                (lapsed ??= []).Add(watcher);
            }
        }

        foreach (var watcher in lapsed ?? [])
        {
            _watchers.Remove(watcher);
        }
    }

    public void Unwatch(IRoomEventObserver node, Guid feed)
    {
        if (_watchers.TryGetValue(node, out var watch) && watch.Feed == feed)
        {
            _watchers.Remove(node);
        }
    }

    /// <summary>Tells every watcher that this activation ends, so each watches the next one at once.</summary>
    public void Moving()
    {
        foreach (var node in _watchers.Keys)
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
        foreach (var node in _watchers.Keys)
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
            await grains.GetGrain<IUserGrain>(user).DeliverDirect(message);
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
