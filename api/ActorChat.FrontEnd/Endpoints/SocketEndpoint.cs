using ActorChat.FrontEnd.Auth;
using ActorChat.FrontEnd.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

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

    private static async Task Accept(HttpContext context, ChatSession session, ConnectionRegistry registry, IOptions<SocketOptions> options)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await ChatProblems.From(Contracts.ChatErrorCode.BadRequest, "This endpoint speaks WebSocket only; see docs/protocol.md.").ExecuteAsync(context);
            return;
        }

        var user = context.ChatUser();
        switch (registry.TryAdmit(user, options.Value.MaxConnectionsPerUser, options.Value.MaxConnectionsPerNode))
        {
            case Admission.UserFull:
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "too_many_connections",
                    detail: $"At most {options.Value.MaxConnectionsPerUser} sockets per user.").ExecuteAsync(context);
                return;
            case Admission.NodeFull:
                context.Response.Headers.RetryAfter = "5";
                await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "node_full",
                    detail: "This node holds as many sockets as it may; retry (another node may take it).").ExecuteAsync(context);
                return;
        }

        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await session.RunAsync(socket, user, context.TokenExpiry(), context.RequestAborted);
        }
        finally
        {
            registry.Release(user);
        }
    }
}
