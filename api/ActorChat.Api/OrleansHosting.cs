using System.Net;
using ActorChat.Contracts;
using ActorChat.Grains;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace ActorChat.Api;

/// <summary>The composition root's one Orleans decision: co-host a silo, or be a client of a cluster.</summary>
internal static class OrleansHosting
{
    public static WebApplicationBuilder AddActorChatOrleans(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(HostingOptions.Section).Get<HostingOptions>() ?? new HostingOptions();
        var verdict = new HostingOptionsValidator().Validate(null, options);
        if (verdict.Failed)
        {
            throw new OptionsValidationException(HostingOptions.Section, typeof(HostingOptions), verdict.Failures);
        }

        if (options.Mode == HostingMode.Client)
        {
            builder.UseOrleansClient(client =>
            {
                if (options.Gateways.Count == 0)
                {
                    throw new OptionsValidationException(HostingOptions.Section, typeof(HostingOptions), ["Client mode needs ActorChat:Hosting:Gateways."]);
                }

                client.UseStaticClustering([.. options.Gateways.Select(ParseEndpoint)]);
                client.Configure<ClusterOptions>(c =>
                {
                    c.ClusterId = options.ClusterId;
                    c.ServiceId = options.ServiceId;
                });
                client.AddMemoryStreams(ChatProviders.Streams);
                client.AddDashboard();
            });
        }
        else
        {
            builder.UseOrleans(silo =>
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
                silo.AddActorChatGrains(builder.Configuration);
                silo.AddDashboard();
            });
        }

        return builder;
    }

    private static IPEndPoint ParseEndpoint(string gateway)
    {
        if (IPEndPoint.TryParse(gateway, out var endpoint) && endpoint.Port != 0)
        {
            return endpoint;
        }

        var separator = gateway.LastIndexOf(':');
        if (separator > 0 && int.TryParse(gateway[(separator + 1)..], out var port))
        {
            var address = Dns.GetHostAddresses(gateway[..separator]).First(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
            return new IPEndPoint(address, port);
        }

        throw new OptionsValidationException(HostingOptions.Section, typeof(HostingOptions), [$"Gateway '{gateway}' is not host:port."]);
    }
}
