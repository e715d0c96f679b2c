namespace ActorChat.FrontEnd.Sockets;

/// <summary>
/// One connection's sends in flight. The read loop does not wait for a send's commit before it reads the next
/// request, or a client that sends without waiting for each reply would get at most one message per commit through
/// its connection (a few hundred per second, whatever the server could do). Sends to a room queue behind the call in
/// flight to that room and go together in the next call, in the order they were read, so they are numbered in that
/// order; any other request waits until every send read before it has been answered. While
/// <c>ActorChat:Sockets:PipelinedSends</c> sends wait, the read loop waits as well.
/// </summary>
/// <remarks>Only the read loop enqueues and waits; the calls finish on any thread.</remarks>
internal sealed class SendLanes(Func<IReadOnlyList<QueuedSend>, Task> post, int capacity, int maxBatch, ChatMetrics metrics)
{
    private readonly Lock _gate = new();

    // Rooms with a call in flight, and the sends queued behind it.
    private readonly Dictionary<string, Queue<QueuedSend>> _lanes = new(StringComparer.Ordinal);
    private int _waiting;
    private int _wakeBelow = -1;
    private TaskCompletionSource? _wake;

    /// <summary>Queues a send, or starts its call when none is in flight to its room; waits while the connection has as many waiting as it may.</summary>
    public Task EnqueueAsync(QueuedSend send)
    {
        bool start;
        metrics.SendsQueued(1);
        lock (_gate)
        {
            _waiting++;
            start = !_lanes.TryGetValue(send.Room, out var queue);
            if (start)
            {
                _lanes[send.Room] = new Queue<QueuedSend>();
            }
            else
            {
                queue!.Enqueue(send);
            }
        }

        if (start)
        {
            _ = RunAsync([send]);
        }

        return WaitUntilBelowAsync(capacity);
    }

    /// <summary>Completes once every send queued so far has been answered.</summary>
    public Task DrainAsync() => WaitUntilBelowAsync(1);

    private Task WaitUntilBelowAsync(int count)
    {
        lock (_gate)
        {
            if (_waiting < count)
            {
                return Task.CompletedTask;
            }

            _wakeBelow = count;
            _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _wake.Task;
        }
    }

    private async Task RunAsync(List<QueuedSend> batch)
    {
        var room = batch[0].Room;
        while (true)
        {
            try
            {
                await post(batch);
            }
            catch (Exception)
            {
                // post answers every send itself, failures included; nothing may stop the lane, or the read loop
                // would wait for it forever.
            }

            metrics.SendsAnswered(batch.Count);
            TaskCompletionSource? wake = null;
            lock (_gate)
            {
                _waiting -= batch.Count;
                if (_wake is not null && _waiting < _wakeBelow)
                {
                    (wake, _wake) = (_wake, null);
                }

                var queue = _lanes[room];
                if (queue.Count == 0)
                {
                    _lanes.Remove(room);
                    batch = [];
                }
                else
                {
                    batch = new List<QueuedSend>(Math.Min(queue.Count, maxBatch));
                    while (batch.Count < maxBatch && queue.TryDequeue(out var next))
                    {
                        batch.Add(next);
                    }
                }
            }

            wake?.SetResult();
            if (batch.Count == 0)
            {
                return;
            }
        }
    }
}
