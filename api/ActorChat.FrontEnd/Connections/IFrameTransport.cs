using System.Net.WebSockets;

namespace ActorChat.FrontEnd.Connections;

/// <summary>
/// Where a connection's frames end up: a WebSocket, or a Server-Sent Events response. The connection's queue,
/// slow-consumer rule and shutdown behave the same over either.
/// </summary>
internal interface IFrameTransport
{
    /// <summary>At most this many bytes of frames are held back to be written together.</summary>
    const int MaxCoalescedBytes = 16 * 1024;

    /// <summary>
    /// Writes one frame (a complete JSON object). With <paramref name="more"/>, another frame follows at once, and the
    /// transport may hold this one back to write them together.
    /// </summary>
    ValueTask WriteAsync(byte[] frame, bool more);

    /// <summary>Ends the transport politely, saying why, after everything queued was written.</summary>
    Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken);

    /// <summary>Cuts the transport off at once.</summary>
    void Abort();

    /// <summary>The writer is done: nothing it wrote may stay held back for a frame that is not coming.</summary>
    void Ended()
    {
    }
}
