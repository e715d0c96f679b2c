using Microsoft.AspNetCore.Http;

namespace ActorChat.FrontEnd.Connections;

/// <summary>The answers to a long-lived connection (socket or event stream) that the node's limits refuse.</summary>
internal static class ConnectionAdmission
{
    /// <summary>
    /// Holds a place for one more connection of <paramref name="user"/> (give it back with
    /// <see cref="ConnectionRegistry.Release"/>), or writes the refusal and returns false.
    /// </summary>
    public static async Task<bool> TryAdmitAsync(HttpContext context, ConnectionRegistry registry, string user, SocketOptions options)
    {
        switch (registry.TryAdmit(user, options.MaxConnectionsPerUser, options.MaxConnectionsPerNode))
        {
            case Admission.UserFull:
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "too_many_connections",
                    detail: $"At most {options.MaxConnectionsPerUser} connections per user on this node.").ExecuteAsync(context);
                return false;
            case Admission.NodeFull:
                context.Response.Headers.RetryAfter = "5";
                await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "node_full",
                    detail: "This node holds as many connections as it may; retry (another node may take it).").ExecuteAsync(context);
                return false;
            default:
                return true;
        }
    }
}
