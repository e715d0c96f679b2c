using System.Collections.Concurrent;

namespace ActorChat.FrontEnd.Relay;

/// <summary>
/// What one local connection follows through the relay: its rooms, each with the connection's delivery cursor, and
/// its user's feed. The relay's to keep, so a connection knows nothing of feeds.
/// </summary>
internal sealed class Following
{
    public ConcurrentDictionary<string, RoomSubscription> Rooms { get; } = new(StringComparer.Ordinal);

    public UserFeed? User { get; set; }
}
