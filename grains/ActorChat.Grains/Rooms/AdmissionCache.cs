using ActorChat.Storage;

namespace ActorChat.Grains.Rooms;

/// <summary>
/// Who is in (or invited to) a room, for the users seen lately: a send checks membership here and not in the store.
/// Bounded, least recently used out, so a room of 100,000 members costs the same memory as one of 10,000. It
/// stays true because every change of the room's membership goes through the room's one activation.
/// </summary>
internal sealed class AdmissionCache(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string User, Admission Admission)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string User, Admission Admission)> _order = new();

    public bool TryGet(string user, out Admission admission)
    {
        if (_entries.TryGetValue(user, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            admission = node.Value.Admission;
            return true;
        }

        admission = default;
        return false;
    }

    public void Set(string user, Admission admission)
    {
        if (capacity == 0)
        {
            return;
        }

        if (_entries.TryGetValue(user, out var node))
        {
            _order.Remove(node);
        }

        node = _order.AddFirst((user, admission));
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
}
