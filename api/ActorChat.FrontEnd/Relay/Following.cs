namespace ActorChat.FrontEnd.Relay;

/// <summary>
/// What one local connection follows through the relay: its rooms, each with the connection's delivery cursor, and
/// its user's feed. The relay's to keep, so a connection knows nothing of feeds. A plain dictionary under a lock:
/// most connections follow a room or two, and a concurrent dictionary cost every socket half a kilobyte.
/// </summary>
internal sealed class Following
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, RoomSubscription> _rooms = new(StringComparer.Ordinal);

    public UserFeed? User { get; set; }

    public int RoomCount
    {
        get
        {
            lock (_lock)
            {
                return _rooms.Count;
            }
        }
    }

    public bool Follows(string room)
    {
        lock (_lock)
        {
            return _rooms.ContainsKey(room);
        }
    }

    public bool TryAdd(string room, RoomSubscription subscription)
    {
        lock (_lock)
        {
            return _rooms.TryAdd(room, subscription);
        }
    }

    public bool TryRemove(string room, out RoomSubscription subscription)
    {
        lock (_lock)
        {
            return _rooms.Remove(room, out subscription!);
        }
    }

    /// <summary>Removes <paramref name="subscription"/> if it is still the one held for its room.</summary>
    public bool TryRemove(RoomSubscription subscription)
    {
        lock (_lock)
        {
            var room = subscription.Feed.Room;
            return _rooms.TryGetValue(room, out var held) && ReferenceEquals(held, subscription) && _rooms.Remove(room);
        }
    }

    public List<string> Rooms()
    {
        lock (_lock)
        {
            return [.. _rooms.Keys];
        }
    }
}
