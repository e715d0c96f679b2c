using ActorChat.Contracts;
using ActorChat.Grains.Retention;
using ActorChat.Storage;

namespace ActorChat.Grains.Rooms;

/// <summary>
/// A room's message log as its grain sees it: it numbers messages, commits the ones that arrive together in one
/// store write (group commit), keeps the newest in memory for replays, and reads older ones from the store.
/// Reads never go past <see cref="DurableSeq"/>, so nobody sees a message before it is stored.
/// </summary>
internal sealed class RoomLog(string room, IChatStore store, RoomOptions options, TimeProvider time)
{
    private readonly RetentionRule _retention = new(options, time);
    private readonly Queue<PendingSend> _pending = new();
    private readonly Dictionary<long, TaskCompletionSource> _pendingBySeq = [];
    private readonly RecentMessages _recent = new(options.RecentMessages);
    private readonly ClientIdWindow _dedup = new(options.DedupWindow);
    private long _assignedSeq;
    private bool _committing;

    // Set when a write failed: sequence numbers handed out since may or may not be stored, so no more are handed
    // out until the grain comes back with the store's truth (it deactivates).
    private bool _broken;

    /// <summary>Called with each committed batch, in seq order, before its senders are answered.</summary>
    public Func<IReadOnlyList<PendingSend>, Task> Committed { get; set; } = _ => Task.CompletedTask;

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
    public async Task<SendResult> AppendAsync(string user, string text, string? clientMsgId, string? traceParent)
    {
        if (_broken)
        {
            throw Unstored();
        }

        // From here to the enqueue there is no await, so a concurrent send with the same id sees this one.
        if (clientMsgId is not null && _dedup.TryGet(user, clientMsgId, out var seen))
        {
            if (seen.Seq > DurableSeq && _pendingBySeq.TryGetValue(seen.Seq, out var inFlight))
            {
                await inFlight.Task;
            }

            return new SendResult(seen.Seq, seen.Ts, Duplicate: true);
        }

        var message = new ChatMessage(room, ++_assignedSeq, user, text, time.GetUtcNow(), clientMsgId);
        if (clientMsgId is not null)
        {
            _dedup.Add(new ClientMessageId(user, clientMsgId, message.Seq, message.Ts));
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending.Enqueue(new PendingSend(message, done, traceParent));
        _pendingBySeq[message.Seq] = done;
        if (!_committing)
        {
            _committing = true;
            _ = CommitLoopAsync();
        }

        await done.Task;
        return new SendResult(message.Seq, message.Ts, Duplicate: false);
    }

    /// <summary>Stored messages with <paramref name="low"/> ≤ seq ≤ <paramref name="high"/> (clamped to what is durable), ascending.</summary>
    public async Task<IReadOnlyList<ChatMessage>> ReadAsync(long low, long high)
    {
        high = Math.Min(high, DurableSeq);
        low = Math.Max(low, FirstSeq);
        if (low > high)
        {
            return [];
        }

        var messages = _recent.TryRead(low, high, out var cached) ? cached : await store.ReadAsync(room, low, high);

        // What retention no longer keeps is not served, swept from the store yet or not.
        var durable = DurableSeq;
        var kept = messages.SkipWhile(m => !_retention.Keeps(m.Seq, m.Ts, durable)).ToList();
        var firstKept = kept.Count > 0 ? kept[0].Seq : (messages.Count > 0 ? messages[^1].Seq + 1 : low);
        if (firstKept > FirstSeq && (kept.Count < messages.Count || firstKept > low))
        {
            // Retention took what was below: learn where history starts now.
            FirstSeq = firstKept;
            _recent.DropBelow(FirstSeq);
        }

        return kept;
    }

    /// <summary>Asks the store where history starts now (retention runs without this grain).</summary>
    public async Task<long> RefreshFirstSeqAsync()
    {
        var bounds = await store.BoundsAsync(room);
        FirstSeq = Math.Min(bounds.First, DurableSeq + 1);
        _recent.DropBelow(FirstSeq);
        return FirstSeq;
    }

    private static ChatException Unstored() => new(ChatErrorCode.Internal, "The message could not be stored; retry with the same clientMsgId.");

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
                    await store.AppendAsync(room, [.. batch.Select(b => b.Message)]);
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
                        _pendingBySeq.Remove(failed.Message.Seq);
                        failed.Done.TrySetException(Unstored());
                    }

                    _pending.Clear();
                    continue;
                }

                DurableSeq = Math.Max(DurableSeq, batch[^1].Message.Seq);
                _recent.Add(batch.Select(b => b.Message));
                await Committed(batch);
                foreach (var committed in batch)
                {
                    _pendingBySeq.Remove(committed.Message.Seq);
                    committed.Done.TrySetResult();
                }
            }
        }
        finally
        {
            _committing = false;
        }
    }
}

/// <summary>A send appended to the log and waiting for the write that makes it durable.</summary>
internal sealed record PendingSend(ChatMessage Message, TaskCompletionSource Done, string? TraceParent);
