using ActorChat.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorChat.Grains.Retention;

internal sealed partial class RetentionGrain(IChatStore store, IOptions<RoomOptions> options, TimeProvider time, ILogger<RetentionGrain> logger) : Grain, IRetentionGrain
{
    private readonly RoomOptions _options = options.Value;
    private readonly RetentionRule _rule = new(options.Value, time);
    private string? _cursor;

    public async Task<RetentionStep> Sweep()
    {
        if (!_options.Retains)
        {
            return new RetentionStep(0, 0, Wrapped: true);
        }

        var rooms = await store.RoomIdsAsync(_cursor, _options.RetentionBatch);
        var deleted = 0;
        foreach (var room in rooms)
        {
            deleted += await TrimAsync(room);
        }

        var wrapped = rooms.Count < _options.RetentionBatch;
        _cursor = wrapped ? null : rooms[^1];
        if (deleted > 0)
        {
            LogTrimmed(logger, deleted, rooms.Count);
        }

        return new RetentionStep(rooms.Count, deleted, wrapped);
    }

    /// <summary>Deletes, from the oldest, what neither the count nor the age rule keeps; at most a batch per room.</summary>
    private async Task<int> TrimAsync(string room)
    {
        var oldest = await store.OldestAsync(room, _options.RetentionBatch);
        if (oldest.Count == 0)
        {
            return 0;
        }

        var last = (await store.BoundsAsync(room)).Last;
        long? upTo = null;
        foreach (var (seq, ts) in oldest)
        {
            if (_rule.Keeps(seq, ts, last))
            {
                break;
            }

            upTo = seq;
        }

        return upTo is { } through ? await store.TrimAsync(room, through) : 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Messages} messages in {Rooms} rooms")]
    private static partial void LogTrimmed(ILogger logger, int messages, int rooms);
}
