using System.Net.WebSockets;

namespace ActorChat.FrontEnd.Sockets;

/// <summary>
/// Where a connection's frames end up: a WebSocket, or a Server-Sent Events response. The connection's queue,
/// slow-consumer rule and shutdown behave the same over either.
/// </summary>
internal interface IFrameTransport
{
    /// <summary>Writes one frame (a complete JSON object); it may wait in a buffer until <see cref="FlushAsync"/>.</summary>
    ValueTask WriteAsync(byte[] frame);

    /// <summary>Sends what the frames written since the last flush left buffered.</summary>
    ValueTask FlushAsync();

    /// <summary>Ends the transport politely, saying why, after everything queued was written.</summary>
    Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken);

    /// <summary>Cuts the transport off at once.</summary>
    void Abort();
}
