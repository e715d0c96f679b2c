using ActorChat.Grains.Hosting;
using Orleans.Dashboard;

namespace ActorChat.Silo;

internal static class SiloHosting
{
    public static WebApplicationBuilder AddActorChatSilo(this WebApplicationBuilder builder)
    {
        builder.UseOrleans(silo =>
        {
            silo.UseActorChatCluster(builder.Configuration)
                .AddActorChatGrains(builder.Configuration)
                .AddDashboard();

            // In a pod: cluster ids, endpoints and pod lifecycle from the Kubernetes API (deploy/kubernetes).
            if (builder.Configuration.GetValue<bool>($"{ChatClusterOptions.Section}:Kubernetes"))
            {
                silo.UseKubernetesHosting();
            }
        });
        builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("silo", tags: ["ready"]);
        if (builder.Configuration.GetValue<MembershipProvider>($"{ChatClusterOptions.Section}:Membership") == MembershipProvider.Redis)
        {
            // In a real cluster, one JSON object per log line for the log collector.
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        }
        return builder;
    }
}
