namespace ActorChat.Client;

/// <summary>
/// Per room, the highest position passed on (a message's <c>seq</c> or a change's <c>logSeq</c>: one sequence per
/// room) and whether the room is joined again after a reconnect. Delivery drops whatever is not past the position,
/// so each (room, position) reaches the application once whatever a reconnect replays.
/// </summary>
internal sealed class RoomPositions
{
    private readonly Dictionary<string, Entry> _rooms = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Moves the room's position to <paramref name="position"/> if it is past it; false for something already passed on.</summary>
    public bool Advance(string room, long position)
    {
        lock (_lock)
        {
            if (!_rooms.TryGetValue(room, out var entry))
            {
                // A direct message arrives without a join; its room is resumed after a reconnect like a joined one.
                _rooms[room] = new Entry(position, Resume: room.StartsWith("dm:", StringComparison.Ordinal));
                return true;
            }

            if (position <= entry.Position)
            {
                return false;
            }

            _rooms[room] = entry with { Position = position };
            return true;
        }
    }

    /// <summary>
    /// A join's ok: runs on the receive loop before the messages the join replays. The position is where the server
    /// starts (<paramref name="since"/>, else the room's last), never past the room's last (a server that lost data
    /// or a since beyond it would otherwise hide every new message).
    /// </summary>
    public void Joined(string room, long? since, long lastSeq)
    {
        lock (_lock)
        {
            var position = _rooms.TryGetValue(room, out var entry) ? entry.Position : since ?? lastSeq;
            _rooms[room] = new Entry(Math.Min(position, lastSeq), Resume: true);
        }
    }

    public void Forget(string room)
    {
        lock (_lock)
        {
            _rooms.Remove(room);
        }
    }

    /// <summary>Whether the room is joined (or a direct conversation seen) and so resumed after a reconnect.</summary>
    public bool IsFollowed(string room)
    {
        lock (_lock)
        {
            return _rooms.TryGetValue(room, out var entry) && entry.Resume;
        }
    }

    public long? PositionOf(string room)
    {
        lock (_lock)
        {
            return _rooms.TryGetValue(room, out var entry) ? entry.Position : null;
        }
    }

    /// <summary>The rooms to join again after a reconnect, each with the position to resume after.</summary>
    public List<(string Room, long Since)> ToResume()
    {
        lock (_lock)
        {
            return [.. _rooms.Where(r => r.Value.Resume).Select(r => (r.Key, r.Value.Position))];
        }
    }

    private readonly record struct Entry(long Position, bool Resume);
}
