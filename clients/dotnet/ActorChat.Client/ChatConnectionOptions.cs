using System.Net.WebSockets;

namespace ActorChat.Client;

/// <summary>Receives a frame on the connection's receive loop; the frame's bytes are valid only during the call.</summary>
public delegate void ChatFrameHandler(ChatFrame frame);

/// <summary>How a <see cref="ChatConnection"/> opens its socket and where its frames go.</summary>
public sealed class ChatConnectionOptions
{
    /// <summary>Sent as <c>Authorization: Bearer</c> on the upgrade; leave it null to open with a ticket in the address instead.</summary>
    public string? BearerToken { get; init; }

    /// <summary>Anything else about the socket (headers, proxy, keep-alive) before it connects.</summary>
    public Action<ClientWebSocketOptions>? ConfigureSocket { get; init; }

    /// <summary>
    /// The largest frame accepted from the server (all its fragments together); a larger one closes the socket with
    /// 1009. A history page of 200 long messages in a non-Latin script is a few megabytes.
    /// </summary>
    public int MaxFrameBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Every frame that is neither the welcome nor the reply to a pending request, in the order received.</summary>
    public ChatFrameHandler? OnEvent { get; init; }

    /// <summary>
    /// Runs once on the receive loop when the socket is done, with the close status (null when it dropped without a
    /// close frame), before requests still waiting are failed.
    /// </summary>
    public Action<WebSocketCloseStatus?, string?>? OnClosed { get; init; }
}
