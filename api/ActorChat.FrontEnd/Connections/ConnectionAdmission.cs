using Microsoft.AspNetCore.Http;

namespace ActorChat.FrontEnd.Connections;

/// <summary>The answers to a long-lived connection (socket or event stream) that the node's limits refuse.</summary>
internal static class ConnectionAdmission
{
    /// <summary>How long a client is asked to wait before it tries a full node again.</summary>
    public const int NodeFullRetrySeconds = 5;

    /// <summary>
    /// Holds a place for one more event stream of <paramref name="user"/> (give it back with
    /// <see cref="ConnectionRegistry.Release"/>), or writes the refusal and returns false.
    /// </summary>
    public static async Task<bool> TryAdmitAsync(HttpContext context, ConnectionRegistry registry, string user, SocketOptions options)
    {
        var admission = registry.TryAdmit(user, options.MaxConnectionsPerUser, options.MaxConnectionsPerNode);
        switch (admission)
        {
            case Admission.UserFull:
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "too_many_connections",
                    detail: Reason(admission, options)).ExecuteAsync(context);
                return false;
            case Admission.NodeFull:
                context.Response.Headers.RetryAfter = NodeFullRetrySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "node_full",
                    detail: Reason(admission, options)).ExecuteAsync(context);
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
    public static async Task<bool> TryAdmitSocketAsync(HttpContext context, ConnectionRegistry registry, string user, string? subprotocol, SocketOptions options)
    {
        var admission = registry.TryAdmit(user, options.MaxConnectionsPerUser, options.MaxConnectionsPerNode);
        if (admission == Admission.Admitted)
        {
            return true;
        }

        var status = admission == Admission.UserFull ? CloseCodes.TooManyConnections : CloseCodes.TryAgainLater;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(subprotocol);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(options.CloseTimeout);
        try
        {
            // The close is sent, not waited for: the connection ends with the request, and a peer that never
            // answers holds nothing.
            await socket.CloseOutputAsync(status, Reason(admission, options), timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Net.WebSockets.WebSocketException or IOException)
        {
            // The peer left first; there is nobody to tell.
        }

        return false;
    }

    private static string Reason(Admission admission, SocketOptions options) => admission == Admission.UserFull
        ? $"too_many_connections: at most {options.MaxConnectionsPerUser} per user on this node"
        : $"node_full: retry in {NodeFullRetrySeconds} s, another node may take it";
}
