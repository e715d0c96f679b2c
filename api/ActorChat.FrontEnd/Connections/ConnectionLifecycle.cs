using System.Net.WebSockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.Connections;

/// <summary>
/// The life of one connection, the same over a WebSocket and an event stream: it gets an id, an expiry, a writer and
/// a place in the registry; the transport's own code serves it; then it flushes, closes, leaves the registry and
/// gives back what serving took, in that order, however serving ended.
/// </summary>
internal sealed class ConnectionLifecycle(
    ConnectionRegistry registry,
    IOptions<SocketOptions> options,
    TimeProvider time,
    ChatMetrics metrics,
    ILogger<ConnectionLifecycle> logger)
{
    /// <summary>
    /// Runs <paramref name="serve"/> on a new connection until it returns the status to close with, then closes and
    /// calls <paramref name="release"/> with that status. A peer that went away (a failed socket operation, a
    /// cancellation) ends serving with 1001. Every line logged meanwhile carries the connection id, the user and
    /// <paramref name="room"/> (an event stream's).
    /// </summary>
    public async Task RunAsync(
        string user,
        IFrameTransport transport,
        DateTimeOffset? issuedAt,
        DateTimeOffset? expiresAt,
        string? room,
        Func<ChatConnection, Task<WebSocketCloseStatus>> serve,
        Func<ChatConnection, WebSocketCloseStatus, Task> release)
    {
        using var connection = new ChatConnection(NewId(), user, transport, options.Value, logger, metrics) { TokenIssuedAt = issuedAt };
        connection.ExpireAt(expiresAt, time);
        connection.Start();
        registry.Add(connection);

        // Every line logged while the connection is served carries its id and user, whoever logs it.
        using var logScope = logger.BeginScope(new ConnectionLogScope(connection.Id, user, room));
        var status = WebSocketCloseStatus.NormalClosure;
        try
        {
            status = await serve(connection);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            status = WebSocketCloseStatus.EndpointUnavailable;
        }
        finally
        {
            connection.Close(status, CloseReason(status));
            await connection.Completion;
            registry.Remove(connection);
            await release(connection, status);
        }
    }

    /// <summary>The reason sent with a close status this side chose.</summary>
    public static string CloseReason(WebSocketCloseStatus status) => status switch
    {
        WebSocketCloseStatus.InvalidMessageType => "binary frames are not supported",
        WebSocketCloseStatus.MessageTooBig => "message too big",
        _ => string.Empty,
    };

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
