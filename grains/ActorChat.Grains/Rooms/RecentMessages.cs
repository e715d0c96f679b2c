using ActorChat.Contracts;

namespace ActorChat.Grains.Rooms;

/// <summary>
/// The newest stored messages of a room, at most a fixed number: joins that resume with <c>since</c> and relays
/// repairing a gap mostly ask for these, and get them without a store read.
/// </summary>
internal sealed class RecentMessages(int capacity)
{
    private readonly Queue<ChatMessage> _messages = new();

    public void Add(IEnumerable<ChatMessage> messages)
    {
        if (capacity == 0)
        {
            return;
        }

        foreach (var message in messages)
        {
            _messages.Enqueue(message);
            if (_messages.Count > capacity)
            {
                _messages.Dequeue();
            }
        }
    }

    /// <summary>Forgets messages retention deleted from the store.</summary>
    public void DropBelow(long first)
    {
        while (_messages.Count > 0 && _messages.Peek().Seq < first)
        {
            _messages.Dequeue();
        }
    }

    /// <summary>The messages from <paramref name="low"/> to <paramref name="high"/>, if all of them are held.</summary>
    public bool TryRead(long low, long high, out IReadOnlyList<ChatMessage> messages)
    {
        if (_messages.Count == 0 || _messages.Peek().Seq > low)
        {
            messages = [];
            return false;
        }

        messages = [.. _messages.Where(m => m.Seq >= low && m.Seq <= high)];
        return true;
    }
}
