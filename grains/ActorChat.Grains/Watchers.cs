namespace ActorChat.Grains;

/// <summary>
/// The front-end nodes a grain tells of its events, each with its newest feed that watched and when. Held only in the
/// activation: nodes renew their watch periodically, and a watch not renewed within the expiry lapses, so a node that
/// died (or whose unwatch failed) is not told forever. A node numbers its feeds upward, and a watch by an older feed
/// than the one watching changes nothing, so a late watch of a replaced feed cannot take the watch back.
/// </summary>
internal sealed class Watchers<TObserver>(TimeProvider time, TimeSpan expiry)
    where TObserver : IGrainObserver
{
    private readonly Dictionary<TObserver, (long Feed, long At)> _nodes = [];

    public void Watch(TObserver node, long feed)
    {
        if (!_nodes.TryGetValue(node, out var current) || current.Feed <= feed)
        {
            _nodes[node] = (feed, time.GetTimestamp());
        }

        DropLapsed();
    }

    public void Unwatch(TObserver node, long feed)
    {
        if (_nodes.TryGetValue(node, out var current) && current.Feed == feed)
        {
            _nodes.Remove(node);
        }
    }

    /// <summary>The nodes to tell now. A handful per grain, so looking at each one's age every time costs next to nothing.</summary>
    public IReadOnlyCollection<TObserver> Live()
    {
        DropLapsed();
        return _nodes.Keys;
    }

    public void Clear() => _nodes.Clear();

    private void DropLapsed()
    {
        var now = time.GetTimestamp();
        List<TObserver>? lapsed = null;
        foreach (var (node, (_, at)) in _nodes)
        {
            if (time.GetElapsedTime(at, now) > expiry)
            {
                (lapsed ??= []).Add(node);
            }
        }

        foreach (var node in lapsed ?? [])
        {
            _nodes.Remove(node);
        }
    }
}
