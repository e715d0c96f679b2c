namespace ActorChat.Contracts;

/// <summary>Stream identities: one stream per room, one per user, and one for the public room directory.</summary>
public static class ChatStreams
{
    public const string RoomNamespace = "room";
    public const string UserNamespace = "user";
    public const string DirectoryNamespace = "directory";

    /// <summary>Changes to the list of public rooms (<see cref="DirectoryChanged"/>).</summary>
    public static StreamId Directory { get; } = StreamId.Create(DirectoryNamespace, "public");

    public static StreamId ForRoom(string roomId) => StreamId.Create(RoomNamespace, roomId);

    public static StreamId ForUser(string userId) => StreamId.Create(UserNamespace, userId);
}
