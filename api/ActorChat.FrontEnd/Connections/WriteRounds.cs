using System.Collections.Concurrent;
using System.Diagnostics;

namespace ActorChat.FrontEnd.Connections;

/// <summary>
/// Wakes the writers of connections that have frames queued, many from one thread-pool work item, in the order they
/// became ready. The relay queues a message for a thousand connections at once: woken one work item each, their
/// writers filled the thread pool's queue, and every step of the next message (its read, the grain call, the commit,
/// the relay) waited behind all of them. Here the queue holds one round, which runs writers for at most a time slice
/// and then queues itself again behind whatever came meanwhile. A writer runs only up to its first write that does
/// not complete at once (a socket whose buffers are full); it goes on from there on its own.
/// </summary>
internal sealed class WriteRounds(TimeSpan slice) : IThreadPoolWorkItem
{
    /// <summary>The rounds every connection in the process shares, like the thread pool they run on.</summary>
    public static WriteRounds Shared { get; } = new(TimeSpan.FromMilliseconds(1));

    private readonly ConcurrentQueue<IThreadPoolWorkItem> _ready = new();
    private readonly long _slice = (long)(slice.TotalSeconds * Stopwatch.Frequency);
    private int _queued;

    /// <summary>Runs <paramref name="writer"/> in the current or the next round.</summary>
    public void Ready(IThreadPoolWorkItem writer)
    {
        _ready.Enqueue(writer);
        if (Interlocked.Exchange(ref _queued, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        var end = Stopwatch.GetTimestamp() + _slice;
        while (true)
        {
            if (_ready.TryDequeue(out var writer))
            {
                writer.Execute();
                if (Stopwatch.GetTimestamp() < end)
                {
                    continue;
                }

                // Still marked queued: a writer that becomes ready meanwhile joins the next round.
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
            }

            // A full fence, not a release store: the emptiness check below must not be read before the flag is clear,
            // or a writer queued in between, which saw the round still queued, would wait for a round that never comes.
            Interlocked.Exchange(ref _queued, 0);

            // A writer that became ready after the last dequeue and saw the round still queued is taken here.
            if (_ready.IsEmpty || Interlocked.Exchange(ref _queued, 1) != 0)
            {
                return;
            }
        }
    }
}
