using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.Relay;

/// <summary>
/// Keeps the relay whole when the cluster misbehaves: a periodic check of every followed room and a periodic
/// attachment to the grain of every user connected here, and all of that (rooms with backfill) whenever the
/// connection to the cluster comes back.
/// </summary>
internal sealed partial class RelayMaintenance(
    ChatRelay relay,
    ClusterConnectionWatcher watcher,
    IOptions<RelayOptions> options,
    TimeProvider time,
    ILogger<RelayMaintenance> logger) : BackgroundService
{
    private const int ParallelChecks = 16;

    private int _resubscribing;
    private TaskCompletionSource _userCheck = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the next periodic attachment to every connected user's grain is done; for tests.</summary>
    internal Task NextUserCheck => Volatile.Read(ref _userCheck).Task;

    /// <summary>Re-subscribes every feed of this node and backfills what it missed.</summary>
    public async Task ResubscribeAllAsync()
    {
        if (Interlocked.Exchange(ref _resubscribing, 1) == 1)
        {
            return;
        }

        try
        {
            var rooms = relay.RoomFeeds();
            var users = relay.UserFeeds();
            LogResubscribing(logger, rooms.Count, users.Count);
            foreach (var feed in rooms)
            {
                await Attempt(feed.ResubscribeAsync, feed.Room);
            }

            foreach (var feed in users)
            {
                await Attempt(feed.ResubscribeAsync, feed.User);
            }

            await Attempt(relay.Directory.CheckAsync, "the room directory");
        }
        finally
        {
            Volatile.Write(ref _resubscribing, 0);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        watcher.Recovered += OnRecovered;
        using var unsubscribe = stoppingToken.Register(() => watcher.Recovered -= OnRecovered);
        await Task.WhenAll(CheckRoomsAsync(stoppingToken), CheckUsersAsync(stoppingToken));
    }

    private async Task CheckRoomsAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval, time);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = ParallelChecks, CancellationToken = stoppingToken };
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            // The directory first, and rooms side by side: one room on a silo that hangs must not hold every other
            // renewal past its expiry.
            await Attempt(relay.Directory.CheckAsync, "the room directory");
            await Parallel.ForEachAsync(relay.RoomFeeds(), parallel, async (feed, _) => await Attempt(feed.CheckAsync, feed.Room));
        }
    }

    private async Task CheckUsersAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.UserCheckInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var feed in relay.UserFeeds())
            {
                await Attempt(feed.ResubscribeAsync, feed.User);
            }

            Interlocked.Exchange(ref _userCheck, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    private void OnRecovered() => _ = ResubscribeAllAsync();

    private async Task Attempt(Func<Task> action, string subject)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRepairFailed(logger, ex, subject);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching {Rooms} rooms again and re-attaching to {Users} users")]
    private static partial void LogResubscribing(ILogger logger, int rooms, int users);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Repairing the relay of {Subject} failed; the next check retries")]
    private static partial void LogRepairFailed(ILogger logger, Exception exception, string subject);
}
