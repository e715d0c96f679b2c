using ActorChat.Grains.Hosting;
using ActorChat.ServiceDefaults;
using Orleans.Dashboard;

namespace ActorChat.Api;

/// <summary>The composition root's one Orleans decision: co-host a silo, or be a client of a cluster.</summary>
internal static class OrleansHosting
{
    public static WebApplicationBuilder AddActorChatOrleans(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var mode = configuration.GetSection(HostingOptions.Section).Get<HostingOptions>()?.Mode ?? HostingMode.Embedded;
        var dashboard = DashboardHosting.IsOn(configuration, builder.Environment);
        if (mode == HostingMode.Client)
        {
            // A front end of a cluster logs for a collector.
            builder.UseJsonLogs();
            builder.UseOrleansClient(client =>
            {
                client.UseActorChatCluster(configuration)
                    .UseConnectionRetryFilter<ConnectRetryFilter>()
                    .AddActivityPropagation();
                if (dashboard)
                {
                    client.AddDashboard();
                }
            });
        }
        else
        {
            builder.UseOrleans(silo =>
            {
                silo.UseActorChatCluster(configuration).AddActorChatGrains(configuration);
                if (dashboard)
                {
                    silo.AddDashboard();
                }
            });
        }

        return builder;
    }
}
