using ActorChat.Contracts;
using ActorChat.Grains.Hosting;
using ActorChat.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorChat.Grains;

/// <summary>
/// The public room directory. The list itself is the store's (each room's record says whether it is listed and how
/// many belong); this grain only gathers the changes rooms report into one batch per interval, told to the front-end
/// nodes that watch it.
/// </summary>
internal sealed partial class RoomDirectoryGrain(
    IChatStore store,
    IOptions<RoomOptions> options,
    IOptions<ChatStreamOptions> streams,
    TimeProvider time,
    ILogger<RoomDirectoryGrain> logger) : Grain, IRoomDirectoryGrain
{
    // Counts changed since the last publish, newest value per room; 0 = no longer listed.
    private readonly SortedDictionary<string, int> _changed = new(StringComparer.Ordinal);
    private readonly Watchers<IDirectoryObserver> _watchers = new(time, options.Value.WatchExpiry);
    private IGrainTimer? _publish;

    public Task Update(string room, int memberCount)
    {
        _changed[room] = memberCount;

        // One batch per interval, however many rooms moved in it; no timer while nothing changes.
        _publish ??= this.RegisterGrainTimer(PublishAsync, new GrainTimerCreationOptions(options.Value.DirectoryInterval, Timeout.InfiniteTimeSpan));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RoomListing>> List(string? after, int limit) => store.ListedRoomsAsync(after, Math.Max(1, limit));

    // One directory feed per node, so no feed numbers: the node's own turns keep its watch and unwatch in order.
    public Task Watch(IDirectoryObserver node)
    {
        _watchers.Watch(node, 0);
        return Task.CompletedTask;
    }

    public Task Unwatch(IDirectoryObserver node)
    {
        _watchers.Unwatch(node, 0);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A silo that shuts down has stopped its stream queues by now: publishing there would wait out the whole
        // shutdown timeout. Watching nodes are still told, and told to watch the next activation.
        await PublishAsync(toStream: reason.ReasonCode != DeactivationReasonCode.ShuttingDown);
        foreach (var node in _watchers.Live())
        {
            node.OnDirectoryMoved().Ignore();
        }

        _watchers.Clear();
    }

    private Task PublishAsync(CancellationToken cancellationToken) => PublishAsync(toStream: true);

    private async Task PublishAsync(bool toStream)
    {
        _publish?.Dispose();
        _publish = null;
        if (_changed.Count == 0)
        {
            return;
        }

        var batch = new DirectoryChanged([.. _changed.Select(c => new RoomListing(c.Key, c.Value))]);
        _changed.Clear();
        foreach (var node in _watchers.Live())
        {
            node.OnDirectoryChanged(batch).Ignore();
        }

        if (!toStream || !streams.Value.Publish)
        {
            return;
        }

        try
        {
            // Front ends of earlier releases followed the directory on its stream.
            await this.GetStreamProvider(ChatProviders.Streams).GetStream<DirectoryChanged>(ChatStreams.Directory).OnNextAsync(batch);
        }
        catch (Exception ex)
        {
            // Those watchers then miss this batch; the list itself is stored, and a client that lists again sees it.
            LogPublishFailed(logger, ex, batch.Rooms.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {Rooms} directory changes failed")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, int rooms);
}
