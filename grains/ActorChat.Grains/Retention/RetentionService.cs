using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorChat.Grains.Retention;

/// <summary>Runs the retention sweep once every interval, from every silo (the grain is one; steps share its cursor).</summary>
internal sealed partial class RetentionService(IGrainFactory grains, IOptions<RoomOptions> options, TimeProvider time, ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Retains)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.RetentionInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var sweep = grains.GetGrain<IRetentionGrain>(IRetentionGrain.Key);
                while (!(await sweep.Sweep()).Wrapped && !stoppingToken.IsCancellationRequested)
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A retention sweep failed; the next interval tries again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
