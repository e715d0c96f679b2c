using ActorChat.FrontEnd.Connections;

namespace ActorChat.FrontEnd.Relay;

/// <summary>
/// One connection following one room. <see cref="Cursor"/> is the highest seq handed to the connection;
/// the feed never hands it a seq at or below it, so a socket sees each seq once and in order.
/// </summary>
internal sealed class RoomSubscription(ChatConnection connection, RoomFeed feed, long cursor)
{
    public ChatConnection Connection { get; } = connection;

    public RoomFeed Feed { get; } = feed;

    public long Cursor { get; set; } = cursor;
}
