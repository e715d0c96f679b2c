using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.Connections;

/// <summary>Admits long-lived connections (sockets and event streams) within the node's limits, and refuses the rest.</summary>
internal sealed partial class ConnectionAdmission(ConnectionRegistry registry, IOptions<SocketOptions> options, ChatMetrics metrics, ILogger<ConnectionAdmission> logger)
{
    /// <summary>How long a client is asked to wait before it tries a full node again.</summary>
    public const int NodeFullRetrySeconds = 5;

    private readonly SocketOptions _options = options.Value;

    /// <summary>
    /// Holds a place for one more event stream of <paramref name="user"/> (give it back with
    /// <see cref="ConnectionRegistry.Release"/>), or writes the refusal (429, 503) and returns false.
    /// </summary>
    public async Task<bool> TryAdmitAsync(HttpContext context, string user)
    {
        var admission = Admit(user);
        switch (admission)
        {
            case Admission.UserFull:
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "too_many_connections",
                    detail: Reason(admission)).ExecuteAsync(context);
                return false;
            case Admission.NodeFull:
                context.Response.Headers.RetryAfter = NodeFullRetrySeconds.ToString(CultureInfo.InvariantCulture);
                await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "node_full",
                    detail: Reason(admission)).ExecuteAsync(context);
                return false;
            default:
                return true;
        }
    }

    /// <summary>
    /// Holds a place for one more socket of <paramref name="user"/> (give it back with
    /// <see cref="ConnectionRegistry.Release"/>), or accepts the socket only to close it with the reason and returns
    /// false.
    /// </summary>
    /// <remarks>
    /// A browser is not shown the status of a refused handshake, so a 429 or 503 looked to it like a bad token or a
    /// server out of reach: the browser library would ask the ticket endpoint why, which on a full node is more load
    /// where there is too much already, and then retry at its usual pace. A close code it can read instead: 1013 to
    /// come back later, 4029 for one connection too many.
    /// </remarks>
    public async Task<bool> TryAdmitSocketAsync(HttpContext context, string user, string? subprotocol)
    {
        var admission = Admit(user);
        if (admission == Admission.Admitted)
        {
            return true;
        }

        var status = admission == Admission.UserFull ? CloseCodes.TooManyConnections : CloseCodes.TryAgainLater;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(subprotocol);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(_options.CloseTimeout);
        var sink = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            await socket.CloseOutputAsync(status, Reason(admission), timeout.Token);

            // What the peer sent meanwhile (a client may send its first request at once) is read and dropped until
            // its close comes: a connection closed with unread bytes is reset, and a reset can destroy the close
            // frame before the peer reads it.
            while ((await socket.ReceiveAsync(sink.AsMemory(), timeout.Token)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
            // The peer left, or did not answer within the close timeout; either way it was told.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sink);
        }

        return false;
    }

    private Admission Admit(string user)
    {
        var admission = registry.TryAdmit(user, _options.MaxConnectionsPerUser, _options.MaxConnectionsPerNode);
        if (admission != Admission.Admitted)
        {
            var reason = admission == Admission.UserFull ? "too_many_connections" : "node_full";
            metrics.Refused(reason);
            LogRefused(logger, reason);
        }

        return admission;
    }

    private string Reason(Admission admission) => admission == Admission.UserFull
        ? $"too_many_connections: at most {_options.MaxConnectionsPerUser} per user on this node"
        : $"node_full: retry in {NodeFullRetrySeconds} s, another node may take it";

    [LoggerMessage(Level = LogLevel.Debug, Message = "A connection was refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}
