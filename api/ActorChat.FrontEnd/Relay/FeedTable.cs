namespace ActorChat.FrontEnd.Relay;

/// <summary>
/// The shared feeds of one kind on this node, at most one per key, counted by the connections that use it: the
/// first use creates the feed, the last release stops it.
/// </summary>
internal sealed class FeedTable<TFeed>(Func<string, TFeed> create)
    where TFeed : class, ISharedFeed
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _feeds = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _feeds.Count;
            }
        }
    }

    /// <summary>The feed for <paramref name="key"/> if there is one.</summary>
    public TFeed? Find(string key)
    {
        lock (_lock)
        {
            return _feeds.TryGetValue(key, out var entry) ? entry.Feed : null;
        }
    }

    /// <summary>The feed for <paramref name="key"/>, created if there is none. Give it back with <see cref="ReleaseAsync"/>.</summary>
    public TFeed Acquire(string key)
    {
        lock (_lock)
        {
            if (!_feeds.TryGetValue(key, out var entry))
            {
                entry = new Entry(create(key));
                _feeds[key] = entry;
            }

            entry.References++;
            return entry.Feed;
        }
    }

    /// <summary>Gives back one use of <paramref name="feed"/>; the last one stops it.</summary>
    public async Task ReleaseAsync(TFeed feed)
    {
        lock (_lock)
        {
            if (!_feeds.TryGetValue(feed.Key, out var entry) || !ReferenceEquals(entry.Feed, feed) || --entry.References > 0)
            {
                return;
            }

            _feeds.Remove(feed.Key);
        }

        try
        {
            await feed.Ready.Value;
        }
        catch (Exception)
        {
            // It never subscribed, so there is nothing to end.
            return;
        }

        await feed.StopAsync();
    }

    /// <summary>The feeds whose subscription is up now.</summary>
    public IReadOnlyList<TFeed> Running()
    {
        lock (_lock)
        {
            return [.. _feeds.Values.Select(e => e.Feed).Where(f => f.Ready.IsValueCreated && f.Ready.Value.IsCompletedSuccessfully)];
        }
    }

    private sealed class Entry(TFeed feed)
    {
        public TFeed Feed { get; } = feed;

        public int References { get; set; }
    }
}
