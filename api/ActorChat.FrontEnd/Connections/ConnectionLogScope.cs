using System.Collections;

namespace ActorChat.FrontEnd.Connections;

/// <summary>
/// The log scope of one connection: its id and user, and the room of an event stream. Three fields instead of a
/// dictionary, since a scope lives as long as its connection.
/// </summary>
internal sealed class ConnectionLogScope(string connectionId, string user, string? room) : IReadOnlyList<KeyValuePair<string, object>>
{
    public int Count => room is null ? 2 : 3;

    public KeyValuePair<string, object> this[int index] => index switch
    {
        0 => new("ConnectionId", connectionId),
        1 => new("User", user),
        2 when room is not null => new("Room", room),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => room is null ? $"Connection {connectionId} of {user}" : $"Connection {connectionId} of {user} in {room}";
}
