using ActorChat.Contracts;
using ActorChat.Grains.Retention;
using ActorChat.Storage;

namespace ActorChat.Grains.Rooms;

/// <summary>
/// A room's log as its grain sees it: it numbers messages and changes in one sequence, commits the ones that arrive
/// together in one store write (group commit), keeps the newest in memory for replays, and reads older ones from
/// the store. Nothing is read past <see cref="DurableSeq"/>, so nobody sees an entry before it is stored.
/// </summary>
internal sealed class RoomLog(string room, IChatStore store, RoomOptions options, TimeProvider time)
{
    private readonly RetentionRule _retention = new(options, time);
    private readonly Queue<PendingEntry> _pending = new();
    private readonly Dictionary<long, TaskCompletionSource> _pendingBySeq = [];
    private readonly RecentLog _recent = new(options.RecentMessages);
    private readonly ClientIdWindow _dedup = new(options.DedupWindow);
    private long _assignedSeq;
    private bool _committing;
    private int _held;
    private TaskCompletionSource? _idle;

    // Set when a write failed: sequence numbers handed out since may or may not be stored, so no more are handed
    // out until the grain comes back with the store's truth (it deactivates).
    private bool _broken;

    /// <summary>Called with each committed batch, in seq order, before its senders are answered.</summary>
    public Func<IReadOnlyList<PendingEntry>, Task> Committed { get; set; } = _ => Task.CompletedTask;

    /// <summary>Called when a write failed: the store may or may not hold the batch.</summary>
    public Action<Exception> WriteFailed { get; set; } = _ => { };

    /// <summary>Highest seq that is stored.</summary>
    public long DurableSeq { get; private set; }

    /// <summary>Lowest seq the store holds (as of activation or the last read that learnt better).</summary>
    public long FirstSeq { get; private set; } = 1;

    public async Task LoadAsync()
    {
        var bounds = await store.BoundsAsync(room);
        (FirstSeq, DurableSeq, _assignedSeq) = (bounds.First, bounds.Last, bounds.Last);
        foreach (var id in await store.RecentClientIdsAsync(room, Math.Max(0, bounds.Last - options.DedupWindow)))
        {
            _dedup.Add(id);
        }
    }

    /// <summary>Appends a message and completes once it is stored and published; a repeated client id answers the first result.</summary>
    public async Task<SendResult> AppendAsync(string user, MessageDraft draft, string? traceParent, SenderKind kind = SenderKind.User)
    {
        if (_broken)
        {
            throw Unstored();
        }

        // A bot's ids are its own, whatever user shares its name.
        var sender = kind == SenderKind.User ? user : $"{kind}:{user}";

        // From here to the enqueue there is no await, so a concurrent send with the same id sees this one.
        if (draft.ClientMsgId is { } clientMsgId && _dedup.TryGet(sender, clientMsgId, out var seen))
        {
            if (seen.Seq > DurableSeq && _pendingBySeq.TryGetValue(seen.Seq, out var inFlight))
            {
                await inFlight.Task;
            }

            return new SendResult(seen.Seq, seen.Ts, Duplicate: true);
        }

        var message = new ChatMessage(room, ++_assignedSeq, user, draft.Text, time.GetUtcNow(), draft.ClientMsgId, ReplyTo: draft.ReplyTo,
            Mentions: draft.Mentions is { Count: > 0 } ? draft.Mentions : null, Kind: kind);
        if (draft.ClientMsgId is not null)
        {
            _dedup.Add(new ClientMessageId(sender, draft.ClientMsgId, message.Seq, message.Ts));
        }

        await EnqueueAsync(new MessagePosted(message, traceParent));
        return new SendResult(message.Seq, message.Ts, Duplicate: false);
    }

    /// <summary>Records a change (made from its seq and time) in the log; completes once it is stored and published.</summary>
    public async Task<RoomChange> ChangeAsync(Func<long, DateTimeOffset, RoomChange> make)
    {
        if (_broken)
        {
            throw Unstored();
        }

        var change = make(++_assignedSeq, time.GetUtcNow());
        await EnqueueAsync(change);
        return change;
    }

    /// <summary>
    /// Until as many <see cref="Release"/>s, an append starts no write, so that entries appended one after another in
    /// between (a sender's batch, appended with no await) go in one write rather than the first alone and the rest
    /// after; a write already running takes them as its next batch. Never held across an await.
    /// </summary>
    public void Hold() => _held++;

    public void Release()
    {
        if (--_held == 0 && _pending.Count > 0 && !_committing)
        {
            _committing = true;
            _ = CommitLoopAsync();
        }
    }

    /// <summary>Completes when everything appended so far is stored (or failed).</summary>
    public Task FlushAsync()
    {
        if (!_committing)
        {
            return Task.CompletedTask;
        }

        _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _idle.Task;
    }

    /// <summary>Stored entries with <paramref name="low"/> ≤ seq ≤ <paramref name="high"/> (clamped to what is durable), ascending.</summary>
    public async Task<IReadOnlyList<RoomEvent>> ReadLogAsync(long low, long high)
    {
        high = Math.Min(high, DurableSeq);
        low = Math.Max(low, FirstSeq);
        if (low > high)
        {
            return [];
        }

        var entries = _recent.TryRead(low, high, out var cached) ? cached : await store.ReadLogAsync(room, low, high);

        // What retention no longer keeps is not served, swept from the store yet or not.
        var durable = DurableSeq;
        var kept = entries.SkipWhile(e => e is MessagePosted posted && !_retention.Keeps(posted.Message.Seq, posted.Message.Ts, durable)).ToList();
        var firstKept = kept.Count > 0 ? kept[0].Position!.Value : (entries.Count > 0 ? entries[^1].Position!.Value + 1 : low);
        if (firstKept > FirstSeq && (kept.Count < entries.Count || firstKept > low))
        {
            // Retention took what was below: learn where history starts now.
            FirstSeq = firstKept;
            _recent.DropBelow(FirstSeq);
        }

        return kept;
    }

    /// <summary>Messages before <paramref name="before"/> in their current state, with reactions, for <paramref name="viewer"/>.</summary>
    public async Task<IReadOnlyList<ChatMessage>> HistoryAsync(long before, int limit, string viewer)
    {
        var durable = DurableSeq;
        var messages = await store.HistoryAsync(room, Math.Min(before, durable + 1), limit, viewer);
        return [.. messages.Where(m => _retention.Keeps(m.Seq, m.Ts, durable))];
    }

    /// <summary>The message's current state replaces what memory holds of it (after an edit, a deletion, an erasure).</summary>
    public void Update(ChatMessage message) => _recent.Update(message);

    /// <summary>The messages of <paramref name="user"/> that memory holds, for erasure.</summary>
    public IEnumerable<ChatMessage> HeldMessagesOf(string user) => _recent.MessagesOf(user);

    /// <summary>Asks the store where history starts now (retention runs without this grain).</summary>
    public async Task<long> RefreshFirstSeqAsync()
    {
        var bounds = await store.BoundsAsync(room);
        FirstSeq = Math.Min(bounds.First, DurableSeq + 1);
        _recent.DropBelow(FirstSeq);
        return FirstSeq;
    }

    private static ChatException Unstored() => new(ChatErrorCode.Internal, "The message could not be stored; retry with the same clientMsgId.");

    private async Task EnqueueAsync(RoomEvent entry)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending.Enqueue(new PendingEntry(entry, done));
        _pendingBySeq[entry.Position!.Value] = done;
        if (!_committing && _held == 0)
        {
            _committing = true;
            _ = CommitLoopAsync();
        }

        await done.Task;
    }

    /// <summary>
    /// Writes everything appended since the last write in one store write, then hands the batch on (publish), then
    /// answers its senders: stored, published, acknowledged, in that order.
    /// </summary>
    private async Task CommitLoopAsync()
    {
        try
        {
            while (_pending.Count > 0)
            {
                var batch = _pending.ToList();
                _pending.Clear();
                try
                {
                    await store.AppendAsync(room, [.. batch.Select(b => b.Entry)]);
                }
                catch (Exception ex)
                {
                    // Unknown whether the batch is stored: the grain reloads the truth on its next activation. A sender
                    // told `internal` retries with its clientMsgId and gets the stored seq if the write did land. What
                    // waits behind the batch fails too: written after it, it would leave a hole in the numbering.
                    _broken = true;
                    WriteFailed(ex);
                    foreach (var failed in batch.Concat(_pending))
                    {
                        _pendingBySeq.Remove(failed.Entry.Position!.Value);
                        failed.Done.TrySetException(Unstored());
                    }

                    _pending.Clear();
                    continue;
                }

                DurableSeq = Math.Max(DurableSeq, batch[^1].Entry.Position!.Value);
                _recent.Add(batch.Select(b => b.Entry));
                await Committed(batch);
                foreach (var committed in batch)
                {
                    _pendingBySeq.Remove(committed.Entry.Position!.Value);
                    committed.Done.TrySetResult();
                }
            }
        }
        finally
        {
            _committing = false;
            var idle = _idle;
            _idle = null;
            idle?.TrySetResult();
        }
    }
}

/// <summary>A log entry appended and waiting for the write that makes it durable.</summary>
internal sealed record PendingEntry(RoomEvent Entry, TaskCompletionSource Done);
