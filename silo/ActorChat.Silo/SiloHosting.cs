using ActorChat.Grains.Hosting;
using Orleans.Dashboard;

namespace ActorChat.Silo;

internal static class SiloHosting
{
    public static WebApplicationBuilder AddActorChatSilo(this WebApplicationBuilder builder)
    {
        builder.UseOrleans(silo => silo
            .UseActorChatCluster(builder.Configuration)
            .AddActorChatGrains(builder.Configuration)
            .AddDashboard());
        builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("silo", tags: ["ready"]);
        return builder;
    }
}
