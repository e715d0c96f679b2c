using ActorChat.Contracts;
using ActorChat.FrontEnd.Protocol;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace ActorChat.FrontEnd.Relay;

/// <summary>
/// This node's single subscription to one room's stream. It turns the stream into a gapless sequence
/// (repairing holes from the room grain), encodes each event once and hands the bytes to every local
/// subscription without waiting on any socket.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The gate never allocates a wait handle; events may still arrive after the feed stops, so it is never disposed.")]
internal sealed partial class RoomFeed : StreamFeed<RoomEvent>, ISharedFeed
{
    private const int RepairPage = 200;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<RoomSubscription> _live = [];
    private readonly ChatMetrics _metrics;
    private readonly Action<RoomSubscription> _removed;

    /// <summary>
    /// <paramref name="removed"/> is called, under the feed's gate, for each subscription the feed dropped because its
    /// user was kicked or banned; it must not wait on this feed.
    /// </summary>
    public RoomFeed(string room, IClusterClient client, ILogger logger, ChatMetrics metrics, Action<RoomSubscription> removed)
        : base(client, ChatStreams.ForRoom(room), logger)
    {
        Room = room;
        _metrics = metrics;
        _removed = removed;
        Ready = new Lazy<Task>(StartAsync);
    }

    public string Room { get; }

    /// <summary>Highest log position (message seq or change logSeq) delivered by this feed; every live subscription has received all up to here.</summary>
    public long LastSeq { get; private set; }

    public Lazy<Task> Ready { get; }

    string ISharedFeed.Key => Room;

    private IRoomGrain Grain => Client.GetGrain<IRoomGrain>(Room);

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
    /// Re-establishes the stream subscription (resuming the one the pub-sub store still holds for this node,
    /// if any) and then delivers whatever was published while it was down.
    /// </summary>
    public async Task ResubscribeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await ResumeAsync();
            _metrics.Resubscribed();
            await CatchUpLockedAsync((await Grain.Info()).LastSeq);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Asks the room for its last sequence and delivers anything the stream has not (a lost last event).</summary>
    public async Task CheckAsync()
    {
        var lastSeq = (await Grain.Info()).LastSeq;
        if (lastSeq <= LastSeq)
        {
            return;
        }

        await _gate.WaitAsync();
        try
        {
            await CatchUpLockedAsync(lastSeq);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task StopAsync() => UnsubscribeAsync();

    public override async Task OnNextAsync(RoomEvent item, StreamSequenceToken? token = null)
    {
        await _gate.WaitAsync();
        try
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
        catch (Exception ex)
        {
            LogDeliveryFailed(Logger, ex, Room);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task StartAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await SubscribeAsync();

            // Read the position after subscribing: anything newer arrives on the stream or is repaired as a gap.
            LastSeq = (await Grain.Info()).LastSeq;
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

            LogGapRepaired(Logger, Room, LastSeq + 1, missing.Entries[^1].Position!.Value);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Relay of room {Room} failed to deliver an event")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string room);
}
