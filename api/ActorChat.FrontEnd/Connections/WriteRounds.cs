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
/// <remarks>
/// A round that starts when no round was queued first waits <c>linger</c> (<see cref="SocketOptions.WriteLinger"/>;
/// at least that, rounded to the system timer's tick: 1 to 4 ms on Linux for the default 1 ms): messages sent at about the same moment reach the relay in more than one
/// commit (the first alone, the rest behind its fsync, a millisecond later), and without the wait each socket wrote
/// each part with a send call of its own, where one call carries them all (the kernel's loopback send costs about
/// 8 µs a call here, more than the rest of a delivery).
/// </remarks>
internal sealed class WriteRounds : IThreadPoolWorkItem, IDisposable
{
    private static readonly ConcurrentDictionary<TimeSpan, WriteRounds> ByLinger = new();

    private readonly ConcurrentQueue<IThreadPoolWorkItem> _ready = new();
    private readonly long _slice;
    private readonly TimeSpan _linger;
    private readonly ITimer? _start;
    private int _queued;
    private volatile bool _lingering;

    /// <param name="slice">How long one round runs writers before it queues itself behind other work.</param>
    /// <param name="linger">How long a round waits before it starts, for more writers to join it; zero starts it at once.</param>
    /// <param name="time">The clock the wait runs on.</param>
    public WriteRounds(TimeSpan slice, TimeSpan linger = default, TimeProvider? time = null)
    {
        _slice = (long)(slice.TotalSeconds * Stopwatch.Frequency);
        // Timers count whole milliseconds: a fraction of one would be a wait of none that still went through the timer.
        _linger = TimeSpan.FromMilliseconds(Math.Ceiling(Math.Max(0, linger.TotalMilliseconds)));
        if (_linger > TimeSpan.Zero)
        {
            // The timer lives as long as the rounds: it must not keep the context (request, activity, log scopes) of
            // whichever connection happened to create it. Its callback already runs on a pool thread: it runs the round.
            using (ExecutionContext.SuppressFlow())
            {
                _start = (time ?? TimeProvider.System).CreateTimer(
                    static state => ((IThreadPoolWorkItem)state!).Execute(),
                    this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>
    /// The rounds every connection in the process with this <paramref name="linger"/> shares, like the thread pool
    /// they run on (slices of 1 ms).
    /// </summary>
    public static WriteRounds Shared(TimeSpan linger) => ByLinger.GetOrAdd(linger, static l => new WriteRounds(TimeSpan.FromMilliseconds(1), l));

    /// <summary>Runs <paramref name="writer"/> in the current or the next round.</summary>
    public void Ready(IThreadPoolWorkItem writer)
    {
        _ready.Enqueue(writer);
        if (Interlocked.Exchange(ref _queued, 1) == 0)
        {
            if (_start is null)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
            else
            {
                _lingering = true;
                _start.Change(_linger, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>No round is queued or running (tests).</summary>
    internal bool IsIdle => Volatile.Read(ref _queued) == 0;

    /// <summary>A round waits out its linger and has not started (tests).</summary>
    internal bool IsLingering => _lingering;

    public void Dispose() => _start?.Dispose();

    void IThreadPoolWorkItem.Execute()
    {
        _lingering = false;
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
