using ActorChat.Grains.Hosting;
using ActorChat.ServiceDefaults;
using Orleans.Dashboard;

namespace ActorChat.Silo;

internal static class SiloHosting
{
    public static WebApplicationBuilder AddActorChatSilo(this WebApplicationBuilder builder)
    {
        builder.UseOrleans(silo =>
        {
            silo.UseActorChatCluster(builder.Configuration).AddActorChatGrains(builder.Configuration);
            if (DashboardHosting.IsOn(builder.Configuration, builder.Environment))
            {
                silo.AddDashboard();
            }

            // In a pod: cluster ids, endpoints and pod lifecycle from the Kubernetes API (deploy/kubernetes).
            if (builder.Configuration.GetValue<bool>($"{ChatClusterOptions.Section}:Kubernetes"))
            {
                silo.UseKubernetesHosting();
            }
        });
        builder.Services.AddHealthChecks().AddReadinessCheck<SiloHealthCheck>("silo");
        if (builder.Configuration.GetValue<MembershipProvider>($"{ChatClusterOptions.Section}:Membership") == MembershipProvider.Redis)
        {
            // In a real cluster: logs for a collector.
            builder.UseJsonLogs();
        }
        return builder;
    }
}
