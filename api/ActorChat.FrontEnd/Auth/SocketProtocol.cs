using Microsoft.AspNetCore.Http;

namespace ActorChat.FrontEnd.Auth;

/// <summary>
/// The WebSocket subprotocols <c>/ws</c> knows. <c>actorchat</c> names the protocol; the server selects it whenever a
/// client offers it. <c>actorchat.bearer.&lt;token&gt;</c> carries a browser's bearer token in the one header a
/// browser may set on a WebSocket (<c>Sec-WebSocket-Protocol</c>): no extra request for a ticket, no token in a URL.
/// It is only offered, never selected, so the server never writes the token back. See docs/security.md.
/// </summary>
internal static class SocketProtocol
{
    /// <summary>The protocol's name, answered in <c>Sec-WebSocket-Protocol</c> when the client offers it.</summary>
    public const string Name = "actorchat";

    /// <summary>What the token follows in its offered subprotocol.</summary>
    public const string BearerPrefix = "actorchat.bearer.";

    /// <summary>The authentication scheme that signs a socket in with the token in its subprotocol.</summary>
    public const string Scheme = "SubprotocolBearer";

    /// <summary>Whether the request is a WebSocket upgrade of the endpoint that takes the token this way (<c>/ws</c>).</summary>
    public static bool Accepted(HttpContext context) =>
        context.WebSockets.IsWebSocketRequest && context.GetEndpoint()?.Metadata.GetMetadata<SubprotocolTokenAccepted>() is not null;

    /// <summary>The token a WebSocket upgrade offers as <c>actorchat.bearer.&lt;token&gt;</c> (the first, if several).</summary>
    public static bool TryGetBearer(HttpContext context, out string token)
    {
        foreach (var offered in context.WebSockets.WebSocketRequestedProtocols)
        {
            if (offered.StartsWith(BearerPrefix, StringComparison.Ordinal))
            {
                token = offered[BearerPrefix.Length..];
                return true;
            }
        }

        token = string.Empty;
        return false;
    }

    /// <summary>Whether the client offered <c>actorchat</c> itself.</summary>
    public static bool NameOffered(HttpContext context) => context.WebSockets.WebSocketRequestedProtocols.Contains(Name, StringComparer.Ordinal);
}
