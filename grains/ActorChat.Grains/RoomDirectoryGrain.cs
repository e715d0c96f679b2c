using ActorChat.Contracts;
using ActorChat.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorChat.Grains;

/// <summary>
/// The public room directory. The list itself is the store's (each room's record says whether it is listed and how
/// many belong); this grain only gathers the changes rooms report into one stream event per interval.
/// </summary>
internal sealed partial class RoomDirectoryGrain(
    IChatStore store,
    IOptions<RoomOptions> options,
    ILogger<RoomDirectoryGrain> logger) : Grain, IRoomDirectoryGrain
{
    // Counts changed since the last publish, newest value per room; 0 = no longer listed.
    private readonly SortedDictionary<string, int> _changed = new(StringComparer.Ordinal);
    private IGrainTimer? _publish;

    public Task Update(string room, int memberCount)
    {
        _changed[room] = memberCount;

        // One batch per interval, however many rooms moved in it; no timer while nothing changes.
        _publish ??= this.RegisterGrainTimer(PublishAsync, new GrainTimerCreationOptions(options.Value.DirectoryInterval, Timeout.InfiniteTimeSpan));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RoomListing>> List(string? after, int limit) => store.ListedRoomsAsync(after, Math.Max(1, limit));

    // A silo that shuts down has stopped its stream queues by now: publishing would wait out the whole shutdown
    // timeout. Watchers then miss one batch, as when a publish fails.
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        reason.ReasonCode == DeactivationReasonCode.ShuttingDown ? Task.CompletedTask : PublishAsync(cancellationToken);

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
