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
}
