using Microsoft.Extensions.Logging;

namespace ActorChat.FrontEnd.Relay;

/// <summary>
/// Hears from the Orleans client when gateway connections drop and come back. It depends on nothing, because
/// the cluster client itself resolves it; the relay's maintenance loop listens to <see cref="Recovered"/>, which is
/// also raised when a gateway goes while others stay: that silo's rooms and users lost what this node watches there.
/// </summary>
internal sealed partial class ClusterConnectionWatcher(ILogger<ClusterConnectionWatcher> logger) : IClusterConnectionStatusObserver
{
    public event Action? Recovered;

    public void NotifyClusterConnectionLost() => LogConnectionLost(logger);

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (connectionRecovered || (previousNumberOfGateways == 0 && currentNumberOfGateways > 0)
            || (currentNumberOfGateways > 0 && currentNumberOfGateways < previousNumberOfGateways))
        {
            Recovered?.Invoke();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection to the cluster lost; sockets stay open and the relay re-subscribes when it returns")]
    private static partial void LogConnectionLost(ILogger logger);
}
