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

    public RoomFeed(string room, IClusterClient client, ILogger logger, ChatMetrics metrics)
        : base(client, ChatStreams.ForRoom(room), logger)
    {
        Room = room;
        _metrics = metrics;
        Ready = new Lazy<Task>(StartAsync);
    }

    public string Room { get; }

    /// <summary>Highest seq delivered by this feed; every live subscription has received all up to here.</summary>
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
            if (item is MessagePosted posted)
            {
                using var activity = posted.TraceParent is null
                    ? null
                    : ChatTracing.Source.StartActivity("chat relay", System.Diagnostics.ActivityKind.Consumer, posted.TraceParent);
                activity?.SetTag("chat.room", Room);
                activity?.SetTag("chat.seq", posted.Message.Seq);
                await DeliverMessageAsync(posted.Message);
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

    private async Task DeliverMessageAsync(ChatMessage message)
    {
        if (message.Seq <= LastSeq)
        {
            return;
        }

        await CatchUpLockedAsync(message.Seq - 1);
        Fan(message);
    }

    /// <summary>Fetches and delivers everything up to <paramref name="target"/> the stream did not bring. Call under the gate.</summary>
    private async Task CatchUpLockedAsync(long target)
    {
        while (LastSeq < target)
        {
            var missing = await Grain.ReadRange(LastSeq, (int)Math.Min(RepairPage, target - LastSeq));
            if (missing.Messages.Count == 0)
            {
                return;
            }

            LogGapRepaired(Logger, Room, LastSeq + 1, missing.Messages[^1].Seq);
            _metrics.Backfilled(missing.Messages.Count);
            foreach (var repaired in missing.Messages)
            {
                Fan(repaired);
            }
        }
    }

    private void Fan(ChatMessage message)
    {
        if (message.Seq <= LastSeq)
        {
            return;
        }

        LastSeq = message.Seq;
        byte[]? frame = null;
        var delivered = 0;
        foreach (var subscription in _live)
        {
            if (message.Seq <= subscription.Cursor)
            {
                continue;
            }

            subscription.Cursor = message.Seq;
            frame ??= Frames.Message(message);
            if (subscription.Connection.TrySend(frame))
            {
                delivered++;
            }
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
            var page = await Grain.ReadRange(subscription.Cursor, (int)Math.Min(RepairPage, target - subscription.Cursor));
            if (page.Messages.Count == 0)
            {
                // History no longer holds these; nothing more can be replayed.
                subscription.Cursor = target;
                return;
            }

            foreach (var message in page.Messages)
            {
                if (message.Seq > subscription.Cursor)
                {
                    subscription.Cursor = message.Seq;
                    await connection.SendAsync(Frames.Message(message));
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relay of room {Room} repaired a gap: seq {From}..{To} fetched from the room grain")]
    private static partial void LogGapRepaired(ILogger logger, string room, long from, long to);

    [LoggerMessage(Level = LogLevel.Error, Message = "Relay of room {Room} failed to deliver an event")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string room);
}
