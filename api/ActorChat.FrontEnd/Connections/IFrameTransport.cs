using System.Net.WebSockets;

namespace ActorChat.FrontEnd.Connections;

/// <summary>
/// Where a connection's frames end up: a WebSocket, or a Server-Sent Events response. The connection's queue,
/// slow-consumer rule and shutdown behave the same over either.
/// </summary>
internal interface IFrameTransport
{
    /// <summary>Writes one frame (a complete JSON object).</summary>
    ValueTask WriteAsync(byte[] frame);

    /// <summary>Ends the transport politely, saying why, after everything queued was written.</summary>
    Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken);

    /// <summary>Cuts the transport off at once.</summary>
    void Abort();
}
