using ActorChat.Contracts;

namespace ActorChat.Grains.Rooms;

/// <summary>
/// The newest entries of a room's log (messages and changes), at most a fixed number: joins that resume with
/// <c>since</c> and relays repairing a gap mostly ask for these, and get them without a store read. A message
/// that is deleted or erased later is replaced here too, so what was taken back is not replayed from memory.
/// </summary>
internal sealed class RecentLog(int capacity)
{
    private readonly SortedList<long, RoomEvent> _entries = [];

    public void Add(IEnumerable<RoomEvent> entries)
    {
        if (capacity == 0)
        {
            return;
        }

        foreach (var entry in entries)
        {
            _entries[entry.Position!.Value] = entry;
        }

        while (_entries.Count > capacity)
        {
            _entries.RemoveAt(0);
        }
    }

    /// <summary>Puts the message's current state in place of what was published, if it is still held.</summary>
    public void Update(ChatMessage message)
    {
        if (_entries.TryGetValue(message.Seq, out var entry) && entry is MessagePosted posted)
        {
            _entries[message.Seq] = posted with { Message = message };
        }
    }

    /// <summary>Messages of <paramref name="user"/> held here, for erasure.</summary>
    public IEnumerable<ChatMessage> MessagesOf(string user) =>
        _entries.Values.OfType<MessagePosted>().Select(p => p.Message).Where(m => m.From == user).ToList();

    /// <summary>Forgets entries retention deleted from the store.</summary>
    public void DropBelow(long first)
    {
        while (_entries.Count > 0 && _entries.Keys[0] < first)
        {
            _entries.RemoveAt(0);
        }
    }

    /// <summary>The entries from <paramref name="low"/> to <paramref name="high"/>, if everything from <paramref name="low"/> on is held.</summary>
    public bool TryRead(long low, long high, out IReadOnlyList<RoomEvent> entries)
    {
        if (_entries.Count == 0 || _entries.Keys[0] > low)
        {
            entries = [];
            return false;
        }

        entries = [.. _entries.Values.Where(e => e.Position >= low && e.Position <= high)];
        return true;
    }
}
