using ActorChat.FrontEnd.Auth;
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
        // Not restricted to GET: WebSockets over HTTP/2 arrive as CONNECT.
        app.Map(Path, Accept).RequireAuthorization().WithName("ChatSocket");
        return app;
    }

    private static async Task Accept(HttpContext context, ChatSession session)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await ChatProblems.From(Contracts.ChatErrorCode.BadRequest, "This endpoint speaks WebSocket only; see docs/protocol.md.").ExecuteAsync(context);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await session.RunAsync(socket, context.ChatUser(), context.RequestAborted);
    }
}
