using System.Net.WebSockets;

namespace ActorChat.FrontEnd.Sockets;

/// <summary>WebSocket close codes ActorChat uses beyond the standard ones (documented in docs/protocol.md).</summary>
public static class CloseCodes
{
    /// <summary>The client could not keep up: its outbound queue filled. Reconnect and resume with <c>since</c>.</summary>
    public const WebSocketCloseStatus SlowConsumer = (WebSocketCloseStatus)4008;

    /// <summary>The connection's token expired and no <c>refresh</c> came in time. Log in again and reconnect.</summary>
    public const WebSocketCloseStatus TokenExpired = (WebSocketCloseStatus)4001;
}
