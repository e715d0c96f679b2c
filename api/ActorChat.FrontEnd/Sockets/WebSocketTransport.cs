using System.Net.WebSockets;

namespace ActorChat.FrontEnd.Sockets;

/// <summary>
/// Frames as WebSocket text messages; closing performs the close handshake with the connection's status. With a
/// <see cref="CoalescingStream"/> under the socket, the frames of one burst reach the network in one write.
/// </summary>
internal sealed class WebSocketTransport(WebSocket socket, CoalescingStream? coalescer = null) : IFrameTransport
{
    public ValueTask WriteAsync(byte[] frame)
    {
        coalescer?.Hold();

        // No token here: registering one per frame costs on the hottest path. An abort cancels the send instead.
        return socket.SendAsync(frame.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
    }

    public ValueTask FlushAsync() => coalescer?.ReleaseAsync() ?? ValueTask.CompletedTask;

    public async Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(status, reason, cancellationToken);
        }
    }

    public void Abort() => socket.Abort();
}
