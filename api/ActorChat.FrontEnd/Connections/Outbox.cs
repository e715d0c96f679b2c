using System.Threading.Tasks.Sources;

namespace ActorChat.FrontEnd.Connections;

/// <summary>
/// The frames waiting to be written to one connection, bounded in frames and in bytes. Every frame counts until
/// the transport has taken it, whoever queued it: the relay (which must never wait, so a full outbox refuses
/// it) or the connection's own replies and replays (which wait for room, and with them the connection's request
/// loop, so a peer that stops reading stops being served instead of growing the server).
/// </summary>
internal sealed class Outbox(int maxFrames, long maxBytes, WriteRounds rounds)
{
    private readonly Lock _lock = new();
    private readonly Queue<byte[]> _frames = new();
    private long _bytes;
    private bool _completed;
    private readonly Readable _readable = new(rounds);
    private bool _takerWaiting;
    private TaskCompletionSource? _space;

    /// <summary>Bytes queued and not yet taken by the transport.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Set once a reply first had to wait for room; for tests and diagnostics.</summary>
    public TaskCompletionSource BackPressured { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Queues the frame if it fits; false when the outbox is full or completed.</summary>
    public bool TryAdd(byte[] frame)
    {
        lock (_lock)
        {
            if (_completed || !Fits(frame))
            {
                return false;
            }

            Enqueue(frame);
            return true;
        }
    }

    /// <summary>Queues the frame once it fits. False when the outbox was completed first.</summary>
    public async ValueTask<bool> AddAsync(byte[] frame, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task room;
            lock (_lock)
            {
                if (_completed)
                {
                    return false;
                }

                if (Fits(frame))
                {
                    Enqueue(frame);
                    return true;
                }

                room = SpaceFreed();
            }

            BackPressured.TrySetResult();
            await room.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Waits while more than half the byte cap is queued. The request loop calls it before reading the next request,
    /// so a peer that stops reading has neither its next request read nor its reply built while its queue is full:
    /// only the replies already queued cost memory.
    /// </summary>
    public async ValueTask WaitForRoomAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task room;
            lock (_lock)
            {
                if (_completed || _frames.Count == 0 || _bytes <= maxBytes / 2)
                {
                    return;
                }

                room = SpaceFreed();
            }

            BackPressured.TrySetResult();
            await room.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The next frame to write, if one is queued; it stays queued (and counted) until <see cref="Taken"/>.
    /// <paramref name="more"/> says whether another is queued behind it.
    /// </summary>
    public bool TryPeek([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? frame, out bool more)
    {
        lock (_lock)
        {
            more = _frames.Count > 1;
            return _frames.TryPeek(out frame);
        }
    }

    /// <summary>
    /// Waits until a frame is queued or the outbox is completed: true when there may be a frame to take, false once
    /// it is completed and empty. For the one writer only. The wait is one reused source, with no token, no
    /// allocation and no registration per frame, and nothing held by an idle socket but the source itself (every
    /// socket waits here between frames). Closing completes the outbox, which ends the wait; so does an abort.
    /// </summary>
    public ValueTask<bool> WaitToTakeAsync()
    {
        lock (_lock)
        {
            if (_frames.Count > 0)
            {
                return new ValueTask<bool>(true);
            }

            if (_completed)
            {
                return new ValueTask<bool>(false);
            }

            _takerWaiting = true;
            return _readable.Wait();
        }
    }

    /// <summary>Called once the transport has written the frame <see cref="TryPeek"/> gave: frees its room.</summary>
    public void Taken()
    {
        TaskCompletionSource? space = null;
        lock (_lock)
        {
            // Nothing to free when a slow consumer's queue was discarded during the write.
            if (!_frames.TryDequeue(out var frame))
            {
                return;
            }

            _bytes -= frame.Length;
            if (_space is not null && (_frames.Count == 0 || _bytes <= maxBytes / 2))
            {
                // Woken at half, not at the first free byte: a waiting reply then finds room for more than itself.
                (space, _space) = (_space, null);
            }
        }

        space?.TrySetResult();
    }

    /// <summary>No more frames: the writer drains what is queued (or, with <paramref name="discard"/>, nothing).</summary>
    public void Complete(bool discard)
    {
        TaskCompletionSource? space;
        bool wake;
        lock (_lock)
        {
            _completed = true;
            if (discard)
            {
                _frames.Clear();
                _bytes = 0;
            }

            (wake, _takerWaiting) = (_takerWaiting, false);
            (space, _space) = (_space, null);
        }

        if (wake)
        {
            _readable.Signal();
        }

        space?.TrySetResult();
    }

    // Called under the lock: completed by Taken once half the bytes are free, or by Complete.
    private Task SpaceFreed() => (_space ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    // An empty outbox takes any frame, so a frame larger than the byte cap (a long history page) still goes out.
    private bool Fits(byte[] frame) =>
        _frames.Count == 0 || (_frames.Count < maxFrames && _bytes + frame.Length <= maxBytes);

    // Called under the lock. The writer's continuation runs on the thread pool, never on the caller's thread: the
    // relay queuing a frame for a thousand connections must not write to any of them itself.
    private void Enqueue(byte[] frame)
    {
        _frames.Enqueue(frame);
        _bytes += frame.Length;
        if (_takerWaiting)
        {
            _takerWaiting = false;
            _readable.Signal();
        }
    }

    /// <summary>
    /// The writer's wait, reset for each wait and completed once by whoever ended it. The wake-up is run by a write
    /// round (<see cref="WriteRounds"/>), which resumes the writer inline: not on the caller's thread, and not as a
    /// work item of its own at the front of the waking thread's queue, where a relay that queued a frame for a
    /// thousand connections had all thousand writers run right after it, each with that one frame.
    /// </summary>
    private sealed class Readable(WriteRounds rounds) : IValueTaskSource<bool>, IThreadPoolWorkItem
    {
        private ManualResetValueTaskSourceCore<bool> _core;

        public ValueTask<bool> Wait()
        {
            _core.Reset();
            return new ValueTask<bool>(this, _core.Version);
        }

        public void Signal() => rounds.Ready(this);

        void IThreadPoolWorkItem.Execute() => _core.SetResult(true);

        public bool GetResult(short token) => _core.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
