using ActorChat.ServiceDefaults;

namespace ActorChat.Api;

internal static class Readiness
{
    /// <summary><c>/health/ready</c> of a front end: the cluster answers, and the node is not draining.</summary>
    public static WebApplicationBuilder AddActorChatReadiness(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddReadinessCheck<ClusterHealthCheck>("orleans")
            .AddReadinessCheck<DrainingHealthCheck>("draining");
        return builder;
    }
}
