using System.Net.WebSockets;
using ActorChat.FrontEnd.Connections;

namespace ActorChat.FrontEnd.Sockets;

/// <summary>Frames as WebSocket text messages; closing performs the close handshake with the connection's status.</summary>
/// <paramref name="coalescing"/> is the stream the socket writes through, when the upgrade made one (HTTP/1.1).
internal sealed class WebSocketTransport(WebSocket socket, CoalescingStream? coalescing) : IFrameTransport
{
    // No token here: registering one per frame costs on the hottest path. An abort cancels the send instead.
    public ValueTask WriteAsync(byte[] frame, bool more)
    {
        coalescing?.Holding = more;
        return socket.SendAsync(frame.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
    }

    public async Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(status, reason, cancellationToken);
        }
    }

    public void Abort() => socket.Abort();

    public void Ended() => coalescing?.Holding = false;
}
