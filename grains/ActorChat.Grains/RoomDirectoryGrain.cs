using ActorChat.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorChat.Grains;

internal sealed partial class RoomDirectoryGrain(
    [PersistentState("directory", ChatProviders.Storage)] IPersistentState<RoomDirectory> directory,
    IOptions<RoomOptions> options,
    ILogger<RoomDirectoryGrain> logger) : Grain, IRoomDirectoryGrain
{
    // Counts changed since the last publish, newest value per room; 0 = no longer listed.
    private readonly SortedDictionary<string, int> _changed = new(StringComparer.Ordinal);
    private IGrainTimer? _publish;

    public async Task Update(string room, int memberCount)
    {
        var rooms = directory.State.Rooms;
        if (memberCount > 0)
        {
            if (rooms.TryGetValue(room, out var known) && known == memberCount)
            {
                return;
            }

            rooms[room] = memberCount;
        }
        else if (!rooms.Remove(room))
        {
            return;
        }

        await directory.WriteStateAsync();
        _changed[room] = memberCount;

        // One batch per interval, however many rooms moved in it; no timer while nothing changes.
        _publish ??= this.RegisterGrainTimer(PublishAsync, new GrainTimerCreationOptions(options.Value.DirectoryInterval, Timeout.InfiniteTimeSpan));
    }

    public Task<IReadOnlyList<RoomListing>> List(string? after, int limit) =>
        Task.FromResult<IReadOnlyList<RoomListing>>([.. directory.State.Rooms
            .Where(r => after is null || string.CompareOrdinal(r.Key, after) > 0)
            .Take(Math.Max(1, limit))
            .Select(r => new RoomListing(r.Key, r.Value))]);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => PublishAsync(cancellationToken);

    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        _publish?.Dispose();
        _publish = null;
        if (_changed.Count == 0)
        {
            return;
        }

        var batch = new DirectoryChanged([.. _changed.Select(c => new RoomListing(c.Key, c.Value))]);
        _changed.Clear();
        try
        {
            var stream = this.GetStreamProvider(ChatProviders.Streams).GetStream<DirectoryChanged>(ChatStreams.Directory);
            await stream.OnNextAsync(batch);
        }
        catch (Exception ex)
        {
            // Watchers then miss this batch; the list itself is stored, and a client that lists again sees it.
            LogPublishFailed(logger, ex, batch.Rooms.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {Rooms} directory changes failed")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, int rooms);
}

[GenerateSerializer]
[Alias("ActorChat.Grains.RoomDirectory")]
public sealed class RoomDirectory
{
    [Id(0)]
    public SortedDictionary<string, int> Rooms { get; set; } = new(StringComparer.Ordinal);
}
