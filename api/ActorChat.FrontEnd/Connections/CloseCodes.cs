using System.Net.WebSockets;

namespace ActorChat.FrontEnd.Connections;

/// <summary>
/// The close codes ActorChat sends beyond the standard ones (documented in docs/protocol.md): on a WebSocket as the
/// close status, on an event stream as the last event.
/// </summary>
public static class CloseCodes
{
    /// <summary>The client could not keep up: its outbound queue filled. Reconnect and resume with <c>since</c>.</summary>
    public const WebSocketCloseStatus SlowConsumer = (WebSocketCloseStatus)4008;

    /// <summary>The connection's token expired and no <c>refresh</c> came in time. Log in again and reconnect.</summary>
    public const WebSocketCloseStatus TokenExpired = (WebSocketCloseStatus)4001;

    /// <summary>A backend ended the user's sessions (server API); with revoked tokens, sign in again before reconnecting.</summary>
    public const WebSocketCloseStatus SessionsEnded = (WebSocketCloseStatus)4003;

    /// <summary>The service is restarting; reconnect (to any node) and resume with <c>since</c>.</summary>
    public const WebSocketCloseStatus ServiceRestart = (WebSocketCloseStatus)1012;

    /// <summary>The node holds as many connections as it may: try again in a few seconds (another node may take it).</summary>
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    /// <summary>The user holds as many connections on this node as it allows; one must close first.</summary>
    public const WebSocketCloseStatus TooManyConnections = (WebSocketCloseStatus)4029;
}
