using Orleans.Concurrency;

namespace ActorChat.Contracts;

/// <summary>The list of public rooms and their member counts. One activation, key <see cref="Key"/>.</summary>
[Alias("ActorChat.IRoomDirectoryGrain")]
public interface IRoomDirectoryGrain : IGrainWithIntegerKey
{
    const long Key = 0;

    [Alias("Update")]
    [OneWay]
    Task Update(string room, int memberCount);

    /// <summary>Rooms sorted by id, starting after <paramref name="after"/>.</summary>
    [Alias("List")]
    Task<IReadOnlyList<RoomListing>> List(string? after, int limit);

    /// <summary>
    /// Tells <paramref name="node"/> each batch of changes from now on, until <see cref="Unwatch"/>. Like a room's
    /// watch, it lives only in this activation: a node watches again periodically, and an unrenewed watch lapses.
    /// </summary>
    [Alias("Watch")]
    Task Watch(IDirectoryObserver node);

    [Alias("Unwatch")]
    Task Unwatch(IDirectoryObserver node);
}
