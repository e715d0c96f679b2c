namespace ActorChat.Contracts;

/// <summary>
/// Public rooms whose member count changed since the last batch, told to the nodes that watch the directory
/// (<see cref="IDirectoryObserver"/>) at most once per <c>ActorChat:Rooms:DirectoryInterval</c>. A count of 0 means the room is no longer listed.
/// </summary>
[GenerateSerializer]
[Alias("ActorChat.DirectoryChanged")]
[Immutable]
public sealed record DirectoryChanged([property: Id(0)] IReadOnlyList<RoomListing> Rooms);
