using ActorChat.Contracts;

namespace ActorChat.Grains;

internal sealed class RoomDirectoryGrain(
    [PersistentState("directory", ChatProviders.Storage)] IPersistentState<RoomDirectory> directory) : Grain, IRoomDirectoryGrain
{
    public async Task Update(string room, int memberCount)
    {
        var rooms = directory.State.Rooms;
        if (memberCount > 0)
        {
            rooms[room] = memberCount;
        }
        else if (!rooms.Remove(room))
        {
            return;
        }

        await directory.WriteStateAsync();
    }

    public Task<IReadOnlyList<RoomListing>> List(string? after, int limit) =>
        Task.FromResult<IReadOnlyList<RoomListing>>([.. directory.State.Rooms
            .Where(r => after is null || string.CompareOrdinal(r.Key, after) > 0)
            .Take(Math.Max(1, limit))
            .Select(r => new RoomListing(r.Key, r.Value))]);
}

[GenerateSerializer]
[Alias("ActorChat.Grains.RoomDirectory")]
public sealed class RoomDirectory
{
    [Id(0)]
    public SortedDictionary<string, int> Rooms { get; set; } = new(StringComparer.Ordinal);
}
