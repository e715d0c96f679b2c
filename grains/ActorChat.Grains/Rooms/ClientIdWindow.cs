using ActorChat.Storage;

namespace ActorChat.Grains.Rooms;

/// <summary>The newest client message ids of a room, so a retried send is answered with what the first one stored.</summary>
internal sealed class ClientIdWindow(int capacity)
{
    private readonly Dictionary<(string User, string Id), ClientMessageId> _ids = [];
    private readonly Queue<(string User, string Id)> _order = new();

    public bool TryGet(string user, string id, out ClientMessageId seen) => _ids.TryGetValue((user, id), out seen!);

    public void Add(ClientMessageId id)
    {
        if (capacity == 0 || !_ids.TryAdd((id.User, id.Id), id))
        {
            return;
        }

        _order.Enqueue((id.User, id.Id));
        if (_order.Count > capacity)
        {
            _ids.Remove(_order.Dequeue());
        }
    }
}
