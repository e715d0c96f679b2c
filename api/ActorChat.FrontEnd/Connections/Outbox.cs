namespace ActorChat.FrontEnd.Connections;

/// <summary>
/// The frames waiting to be written to one connection, bounded in frames and in bytes. Every frame counts until
/// the transport has taken it, whoever queued it: the relay (which must never wait, so a full outbox refuses
/// it) or the connection's own replies and replays (which wait for room, and with them the connection's request
/// loop, so a peer that stops reading stops being served instead of growing the server).
/// </summary>
internal sealed class Outbox(int maxFrames, long maxBytes)
{
    private readonly Lock _lock = new();
    private readonly Queue<byte[]> _frames = new();
    private long _bytes;
    private bool _completed;
    private TaskCompletionSource? _readable;
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

    /// <summary>The next frame, waiting for one; null once the outbox is completed and empty.</summary>
    public async ValueTask<byte[]?> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task readable;
            lock (_lock)
            {
                if (_frames.TryPeek(out var frame))
                {
                    return frame;
                }

                if (_completed)
                {
                    return null;
                }

                _readable ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                readable = _readable.Task;
            }

            await readable.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Called once the transport has written the frame <see cref="TakeAsync"/> returned: frees its room.</summary>
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
        TaskCompletionSource? readable, space;
        lock (_lock)
        {
            _completed = true;
            if (discard)
            {
                _frames.Clear();
                _bytes = 0;
            }

            (readable, _readable) = (_readable, null);
            (space, _space) = (_space, null);
        }

        readable?.TrySetResult();
        space?.TrySetResult();
    }

    // Called under the lock: completed by Taken once half the bytes are free, or by Complete.
    private Task SpaceFreed() => (_space ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    // An empty outbox takes any frame, so a frame larger than the byte cap (a long history page) still goes out.
    private bool Fits(byte[] frame) =>
        _frames.Count == 0 || (_frames.Count < maxFrames && _bytes + frame.Length <= maxBytes);

    private void Enqueue(byte[] frame)
    {
        _frames.Enqueue(frame);
        _bytes += frame.Length;
        if (_readable is not null)
        {
            var readable = _readable;
            _readable = null;
            readable.TrySetResult();
        }
    }
}
