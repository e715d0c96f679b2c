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
    /// <summary>How long a client is asked to wait before it tries a full node again (docs/protocol.md, close code 1013).</summary>
    public const int NodeFullRetrySeconds = 5;

    // A refused socket is not in the registry, so what holds it must stay short whatever CloseTimeout says: a client
    // answers a close within a round trip, and one that does not is let go after this.
    private static readonly TimeSpan RefusalHold = TimeSpan.FromSeconds(1);

    private readonly SocketOptions _options = options.Value;

    /// <summary>
    /// Holds a place for one more event stream of <paramref name="user"/> (give it back with
    /// <see cref="ConnectionRegistry.Release"/>), or writes the refusal (429, 503) and returns false.
    /// </summary>
    public async Task<bool> TryAdmitAsync(HttpContext context, string user)
    {
        if (Admit(user) is not { } refusal)
        {
            return true;
        }

        if (refusal.HttpStatus == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = NodeFullRetrySeconds.ToString(CultureInfo.InvariantCulture);
        }

        await Results.Problem(statusCode: refusal.HttpStatus, title: refusal.Code, detail: refusal.Reason).ExecuteAsync(context);
        return false;
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
        if (Admit(user) is not { } refusal)
        {
            return true;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(_options.CloseTimeout < RefusalHold ? _options.CloseTimeout : RefusalHold);
        var sink = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync(subprotocol);
            await socket.CloseOutputAsync(refusal.CloseStatus, refusal.Reason, timeout.Token);

            // What the peer sent meanwhile (a client may send its first request at once) is read and dropped until
            // its close comes: a connection closed with unread bytes is reset, and a reset can destroy the close
            // frame before the peer reads it.
            while ((await socket.ReceiveAsync(sink.AsMemory(), timeout.Token)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
            // The peer left, or did not answer in time; either way it was told what it could be told.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sink);
        }

        return false;
    }

    /// <summary>Takes a place, or says why not (counted and logged).</summary>
    private Refusal? Admit(string user)
    {
        Refusal? refusal = registry.TryAdmit(user, _options.MaxConnectionsPerUser, _options.MaxConnectionsPerNode) switch
        {
            Admission.UserFull => new("too_many_connections", $"at most {_options.MaxConnectionsPerUser} per user on this node",
                StatusCodes.Status429TooManyRequests, CloseCodes.TooManyConnections),
            Admission.NodeFull => new("node_full", $"retry in {NodeFullRetrySeconds} s, another node may take it",
                StatusCodes.Status503ServiceUnavailable, CloseCodes.TryAgainLater),
            _ => null,
        };
        if (refusal is not null)
        {
            metrics.Refused(refusal.Code);
            LogRefused(logger, refusal.Code);
        }

        return refusal;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A connection was refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    /// <summary>One refusal, as an event stream's problem and as a socket's close.</summary>
    private sealed record Refusal(string Code, string Detail, int HttpStatus, WebSocketCloseStatus CloseStatus)
    {
        /// <summary>The close reason (at most 123 bytes: the code and a short detail) and the problem's detail.</summary>
        public string Reason => $"{Code}: {Detail}";
    }
}
