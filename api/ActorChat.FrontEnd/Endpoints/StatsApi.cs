using ActorChat.FrontEnd.Connections;
using ActorChat.FrontEnd.Relay;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActorChat.FrontEnd.Endpoints;

/// <summary>This node's live figures in plain JSON, for people who do not read Prometheus.</summary>
internal static class StatsApi
{
    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/stats", (ConnectionRegistry sockets, ChatRelay relay, ChatMetrics metrics) => TypedResults.Ok(new NodeStats(
            sockets.Count, relay.RoomCount, metrics.ReceivedTotal, metrics.DeliveredTotal, metrics.SlowConsumerTotal)))
            .AllowAnonymous()
            .WithName("Stats")
            .WithSummary("Live figures of this node: sockets, followed rooms, messages.")
            .WithTags("operations");
        return app;
    }
}

internal sealed record NodeStats(int Sockets, int Rooms, long MessagesReceived, long MessagesDelivered, long SlowConsumerCloses);
