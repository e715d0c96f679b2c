using ActorChat.Contracts;
using ActorChat.Grains.Hosting;
using Orleans.Dashboard;

namespace ActorChat.Api;

/// <summary>The composition root's one Orleans decision: co-host a silo, or be a client of a cluster.</summary>
internal static class OrleansHosting
{
    public static WebApplicationBuilder AddActorChatOrleans(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var mode = configuration.GetSection(HostingOptions.Section).Get<HostingOptions>()?.Mode ?? HostingMode.Embedded;
        if (mode == HostingMode.Client)
        {
            // A front end of a cluster is a public deployment: no dev login unless asked for by name, and logs as
            // JSON lines (with scopes: connection, user) for a log collector.
            builder.Services.PostConfigure<ActorChat.FrontEnd.Auth.AuthOptions>(o => o.DevLogin ??= false);
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
            builder.UseOrleansClient(client => client
                .UseActorChatCluster(configuration)
                .UseConnectionRetryFilter<ConnectRetryFilter>()
                .AddActivityPropagation()
                .AddMemoryStreams(ChatProviders.Streams)
                .AddDashboard());
        }
        else
        {
            builder.UseOrleans(silo => silo
                .UseActorChatCluster(configuration)
                .AddActorChatGrains(configuration)
                .AddDashboard());
        }

        return builder;
    }
}
