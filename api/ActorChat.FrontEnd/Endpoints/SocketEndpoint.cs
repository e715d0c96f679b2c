using ActorChat.FrontEnd.Auth;
using ActorChat.FrontEnd.Connections;
using ActorChat.FrontEnd.Limits;
using ActorChat.FrontEnd.Protocol;
using ActorChat.FrontEnd.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActorChat.FrontEnd.Endpoints;

internal static class SocketEndpoint
{
    public const string Path = "/ws";

    public static IEndpointRouteBuilder MapChatSocket(this IEndpointRouteBuilder app)
    {
        // Not restricted to GET: WebSockets over HTTP/2 arrive as CONNECT. Opening a socket draws on the user's request
        // budget like opening an event stream: signed in by its token, a socket buys no ticket that would be charged.
        app.Map(Path, Accept).RequireAuthorization().RequireRateLimiting(RestLimits.PerUser).AcceptsTickets().AcceptsSubprotocolToken().WithName("ChatSocket");
        return app;
    }

    private static async Task Accept(HttpContext context, ChatSession session, ConnectionRegistry registry, ConnectionAdmission admission)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await ChatProblems.From(Contracts.ChatErrorCode.BadRequest, "This endpoint speaks WebSocket only; see docs/protocol.md.").ExecuteAsync(context);
            return;
        }

        // A browser fails a handshake whose answer selects none of the subprotocols it offered, and the token's own
        // entry is never selected (that would write it back): a client that sends its token there offers the name too.
        var named = SocketProtocol.NameOffered(context);
        if (!named && SocketProtocol.TryGetBearer(context, out _))
        {
            await ChatProblems.From(Contracts.ChatErrorCode.BadRequest, $"Offer the '{SocketProtocol.Name}' subprotocol alongside '{SocketProtocol.BearerPrefix}<token>'; see docs/protocol.md.").ExecuteAsync(context);
            return;
        }

        var user = context.ChatUser();
        var subprotocol = named ? SocketProtocol.Name : null;
        if (!await admission.TryAdmitSocketAsync(context, user, subprotocol))
        {
            return;
        }

        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync(subprotocol);
            await session.RunAsync(socket, context.Features.Get<CoalescingStream>(), user, context.TokenIssuedAt(), context.TokenExpiry(), context.RequestAborted);
        }
        finally
        {
            registry.Release(user);
        }
    }
}
