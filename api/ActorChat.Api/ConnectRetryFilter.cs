namespace ActorChat.Api;

/// <summary>A front end in client mode keeps trying to reach the cluster at start-up instead of exiting: silos may start after it.</summary>
internal sealed partial class ConnectRetryFilter(ILogger<ConnectRetryFilter> logger) : IClientConnectionRetryFilter
{
    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        LogRetry(logger, exception.Message);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return !cancellationToken.IsCancellationRequested;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cluster is not reachable yet ({Reason}); retrying in a second")]
    private static partial void LogRetry(ILogger logger, string reason);
}
