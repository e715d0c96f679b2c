using ActorChat.Contracts;
using ActorChat.FrontEnd.Protocol;
using Microsoft.Extensions.Logging;

namespace ActorChat.FrontEnd.Relay;

/// <summary>
/// This node's single watch of one room. The room grain hands its events to the node's <see cref="NodeRoomEvents"/>,
/// which queues them here; the feed turns them into a gapless sequence (repairing holes from the room grain), encodes
/// each event once and hands the bytes to every local subscription without waiting on any socket.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The gate never allocates a wait handle; events may still arrive after the feed stops, so it is never disposed.")]
internal sealed partial class RoomFeed : ISharedFeed
{
    private const int RepairPage = 200;

    private readonly IClusterClient _client;
    private readonly NodeRoomEvents _node;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<RoomSubscription> _live = [];
    private readonly ChatMetrics _metrics;
    private readonly Action<RoomSubscription> _removed;

    // Whom the room's watch belongs to, numbered upward per node: a feed that replaced this one on the node must
    // survive this one's late watch and unwatch.
    private readonly long _id;

    // Events as the room told them, handled in that order.
    private readonly OrderedInbox<RoomEvent[]> _inbox;

    // Set before the stop waits for the gate, read under it: a periodic watch that reached a feed just released must
    // not watch again for good.
    private bool _stopped;

    // Set under the gate once this feed's own watch answered. Until then, what the room tells the node (on the watch
    // of a feed this one replaced) is at or below that answer: repairing it from position 0 would read the whole log.
    private bool _watching;

    /// <summary>
    /// <paramref name="removed"/> is called, under the feed's gate, for each subscription the feed dropped because its
    /// user was kicked or banned; it must not wait on this feed.
    /// </summary>
    public RoomFeed(string room, IClusterClient client, NodeRoomEvents node, ILogger logger, ChatMetrics metrics, Action<RoomSubscription> removed)
    {
        Room = room;
        _client = client;
        _node = node;
        _id = node.NextFeedId();
        _logger = logger;
        _metrics = metrics;
        _removed = removed;
        _inbox = new OrderedInbox<RoomEvent[]>(DeliverToldAsync);
        Ready = new Lazy<Task>(StartAsync);
    }

    public string Room { get; }

    /// <summary>Highest log position (message seq or change logSeq) delivered by this feed; every live subscription has received all up to here.</summary>
    public long LastSeq { get; private set; }

    public Lazy<Task> Ready { get; }

    string ISharedFeed.Key => Room;

    private IRoomGrain Grain => _client.Room(Room);

    /// <summary>
    /// Brings a new subscription up to the feed's position from the room grain, outside the gate so live
    /// delivery to others goes on, then makes it live under the gate.
    /// </summary>
    public async Task AttachAsync(RoomSubscription subscription)
    {
        while (true)
        {
            long target;
            await _gate.WaitAsync();
            try
            {
                if (LastSeq <= subscription.Cursor)
                {
                    _live.Add(subscription);
                    return;
                }

                target = LastSeq;
            }
            finally
            {
                _gate.Release();
            }

            await ReplayAsync(subscription, target);
        }
    }

    public async Task DetachAsync(RoomSubscription subscription)
    {
        await _gate.WaitAsync();
        try
        {
            _live.Remove(subscription);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Watches the room again and delivers whatever it holds past this feed's position: the watch lives only in the
    /// room's activation, and a lost last event shows no gap until something newer comes. Called periodically.
    /// </summary>
    public async Task CheckAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (!Volatile.Read(ref _stopped))
            {
                await CatchUpLockedAsync(await Grain.Watch(_node.Reference, _id));
                _watching = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Watches again after the cluster connection came back, and delivers what was committed meanwhile.</summary>
    public async Task ResubscribeAsync()
    {
        await CheckAsync();
        _metrics.Resubscribed();
    }

    /// <summary>The room's activation went away: watch its next one now rather than at the next check.</summary>
    public async Task MovedAsync()
    {
        try
        {
            await ResubscribeAsync();
        }
        catch (Exception ex)
        {
            LogRewatchFailed(_logger, ex, Room);
        }
    }

    /// <summary>Ends the watch. A failure is logged, not thrown: nobody here wants the events any more.</summary>
    public async Task StopAsync()
    {
        // Before the gate: a check already waiting for it must not watch again once it gets it.
        Volatile.Write(ref _stopped, true);
        await _gate.WaitAsync();
        try
        {
            await Grain.Unwatch(_node.Reference, _id);
        }
        catch (Exception ex)
        {
            LogUnwatchFailed(_logger, ex, Room);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Events the room told this node; queued, so the observer never waits on this room's gate.</summary>
    public void Enqueue(RoomEvent[] events) => _inbox.Post(events);

    /// <summary>Delivers one event as if the room had told it; for tests of the gap repair.</summary>
    internal async Task DeliverAsync(RoomEvent item)
    {
        await _gate.WaitAsync();
        try
        {
            await DeliverLockedAsync(item);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task DeliverToldAsync(RoomEvent[] events)
    {
        await _gate.WaitAsync();
        try
        {
            foreach (var item in events)
            {
                if (_watching)
                {
                    await DeliverLockedAsync(item);
                }
            }
        }
        catch (Exception ex)
        {
            LogDeliveryFailed(_logger, ex, Room);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task DeliverLockedAsync(RoomEvent item)
    {
        if (item.Position is { } position)
        {
            using var activity = item is MessagePosted { TraceParent: { } parent }
                ? ChatTracing.Source.StartActivity("chat relay", System.Diagnostics.ActivityKind.Consumer, parent)
                : null;
            activity?.SetTag("chat.room", Room);
            activity?.SetTag("chat.seq", position);
            await DeliverLoggedAsync(item, position);
        }
        else
        {
            DeliverSignal(item);
        }
    }

    private async Task StartAsync()
    {
        await _gate.WaitAsync();
        try
        {
            // The watch answers the position as of itself: anything newer is told to this node or repaired as a gap.
            LastSeq = await Grain.Watch(_node.Reference, _id);
            _watching = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task DeliverLoggedAsync(RoomEvent entry, long position)
    {
        if (position <= LastSeq)
        {
            return;
        }

        await CatchUpLockedAsync(position - 1);
        Fan(entry, position);
    }

    /// <summary>Fetches and delivers everything up to <paramref name="target"/> the stream did not bring. Call under the gate.</summary>
    private async Task CatchUpLockedAsync(long target)
    {
        while (LastSeq < target)
        {
            var missing = await Grain.ReadLog(LastSeq, (int)Math.Min(RepairPage, target - LastSeq));
            if (missing.Entries.Count == 0)
            {
                return;
            }

            LogGapRepaired(_logger, Room, LastSeq + 1, missing.Entries[^1].Position!.Value);
            _metrics.Backfilled(missing.Entries.Count);
            foreach (var repaired in missing.Entries)
            {
                Fan(repaired, repaired.Position!.Value);
            }
        }
    }

    private void Fan(RoomEvent entry, long position)
    {
        if (position <= LastSeq)
        {
            return;
        }

        LastSeq = position;
        byte[]? frame = null;
        var delivered = 0;
        List<RoomSubscription>? removed = null;
        foreach (var subscription in _live)
        {
            if (position <= subscription.Cursor)
            {
                continue;
            }

            subscription.Cursor = position;
            frame ??= Frames.Event(entry);
            if (subscription.Connection.TrySend(frame))
            {
                delivered++;
            }

            // A kicked or banned user hears why, then nothing more of the room on any of their connections.
            if (entry is MemberModerated { Removes: true } moderated && subscription.Connection.User == moderated.User)
            {
                (removed ??= []).Add(subscription);
            }
        }

        foreach (var subscription in removed ?? [])
        {
            _live.Remove(subscription);
            _removed(subscription);
        }

        _metrics.Delivered(delivered);
    }

    private void DeliverSignal(RoomEvent item)
    {
        // Typing and read events go to the others; presence goes to everyone in the room.
        var actor = item switch
        {
            UserTyping typing => typing.User,
            ReadMoved read => read.User,
            _ => null,
        };
        byte[]? frame = null;
        foreach (var subscription in _live)
        {
            var connection = subscription.Connection;
            if (actor is not null && connection.User == actor)
            {
                continue;
            }

            frame ??= Frames.Event(item);
            connection.TrySend(frame);
        }
    }

    private async Task ReplayAsync(RoomSubscription subscription, long target)
    {
        var connection = subscription.Connection;
        while (subscription.Cursor < target && !connection.IsClosing)
        {
            var page = await Grain.ReadLog(subscription.Cursor, (int)Math.Min(RepairPage, target - subscription.Cursor));
            if (page.Entries.Count == 0)
            {
                // History no longer holds these; nothing more can be replayed.
                subscription.Cursor = target;
                return;
            }

            foreach (var entry in page.Entries)
            {
                var position = entry.Position!.Value;
                if (position > subscription.Cursor)
                {
                    subscription.Cursor = position;
                    await connection.SendAsync(Frames.Event(entry));
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relay of room {Room} repaired a gap: seq {From}..{To} fetched from the room grain")]
    private static partial void LogGapRepaired(ILogger logger, string room, long from, long to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching room {Room} again after its activation moved failed; the next check retries")]
    private static partial void LogRewatchFailed(ILogger logger, Exception exception, string room);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unwatching room {Room} failed")]
    private static partial void LogUnwatchFailed(ILogger logger, Exception exception, string room);

    [LoggerMessage(Level = LogLevel.Error, Message = "Relay of room {Room} failed to deliver an event")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string room);
}
