namespace ActorChat.FrontEnd.Relay;

/// <summary>
/// What a grain told this node through an observer, handled one item at a time in the order told, on the thread pool:
/// the observer's call returns at once, and no fan-out to sockets runs inside the cluster client's call (1,000 sockets
/// fanned out there took p99 past 100 ms at 5 messages a second; BENCHMARKS.md).
/// </summary>
internal sealed class OrderedInbox<T>(Func<T, Task> handle)
{
    private readonly Lock _lock = new();
    private readonly Queue<T> _items = new();
    private bool _draining;

    /// <summary>Queues <paramref name="item"/>; the handler must not throw, or the items after it wait for good.</summary>
    public void Post(T item)
    {
        lock (_lock)
        {
            _items.Enqueue(item);
            if (_draining)
            {
                return;
            }

            _draining = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static inbox => _ = inbox.DrainAsync(), this, preferLocal: false);
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            T item;
            lock (_lock)
            {
                if (!_items.TryDequeue(out item!))
                {
                    _draining = false;
                    return;
                }
            }

            await handle(item);
        }
    }
}
