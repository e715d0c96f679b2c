namespace ActorChat.Contracts;

/// <summary>Stream identities: one stream per room and one per user.</summary>
public static class ChatStreams
{
    public const string RoomNamespace = "room";
    public const string UserNamespace = "user";

    public static StreamId ForRoom(string roomId) => StreamId.Create(RoomNamespace, roomId);

    public static StreamId ForUser(string userId) => StreamId.Create(UserNamespace, userId);
}
