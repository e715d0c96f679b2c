namespace ActorChat.Grains.Rooms;

/// <summary>
/// What a room knows of the users it saw lately (whether they belong, their role and mute, when they last sent), so a
/// send needs no store read. Bounded, least recently used out, so a room of 100,000 members costs the same memory as
/// one of a few thousand. It stays true because every change of the room's members goes through the room's one
/// activation.
/// </summary>
internal sealed class UserCache<T>(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string User, T Value)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string User, T Value)> _order = new();

    public bool TryGet(string user, out T value)
    {
        if (_entries.TryGetValue(user, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            value = node.Value.Value;
            return true;
        }

        value = default!;
        return false;
    }

    public void Set(string user, T value)
    {
        if (capacity == 0)
        {
            return;
        }

        if (_entries.TryGetValue(user, out var node))
        {
            _order.Remove(node);
        }

        node = _order.AddFirst((user, value));
        _entries[user] = node;
        if (_entries.Count > capacity)
        {
            _entries.Remove(_order.Last!.Value.User);
            _order.RemoveLast();
        }
    }

    public void Forget(string user)
    {
        if (_entries.Remove(user, out var node))
        {
            _order.Remove(node);
        }
    }

    public void Clear()
    {
        _entries.Clear();
        _order.Clear();
    }
}
