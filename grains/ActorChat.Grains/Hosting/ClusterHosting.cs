using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace ActorChat.Grains.Hosting;

/// <summary>Cluster membership for silos and for front ends in client mode, per <c>ActorChat:Cluster</c>.</summary>
public static class ClusterHosting
{
    public static ISiloBuilder UseActorChatCluster(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = configuration.Read(ChatClusterOptions.Section, new ChatClusterOptionsValidator());
        if (options.Membership == MembershipProvider.Redis)
        {
            var redis = SiloBuilderExtensions.RedisConfiguration(options.Redis ?? configuration["ActorChat:Redis"], ChatClusterOptions.Section);
            silo.UseRedisClustering(o => o.ConfigurationOptions = redis);
            if (string.IsNullOrEmpty(options.AdvertisedAddress))
            {
                silo.ConfigureEndpoints(options.SiloPort, options.GatewayPort, AddressFamily.InterNetwork, listenOnAnyHostAddress: true);
            }
            else
            {
                silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: true);
            }

            silo.Configure<ClusterOptions>(c =>
            {
                c.ClusterId = options.ClusterId;
                c.ServiceId = options.ServiceId;
            });
        }
        else
        {
            var primary = string.IsNullOrEmpty(options.PrimarySiloEndpoint) ? null : IPEndPoint.Parse(options.PrimarySiloEndpoint);
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, primary, options.ServiceId, options.ClusterId);
        }

        // Failure detection and call timeouts, passed through to Orleans as they are named there.
        silo.Configure<ClusterMembershipOptions>(configuration.GetSection($"{ChatClusterOptions.Section}:Liveness"));
        silo.Configure<SiloMessagingOptions>(configuration.GetSection($"{ChatClusterOptions.Section}:Messaging"));

        // Without it, anything that reaches the silo or gateway port can join as a silo or client and read any room.
        return ClusterTransportSecurity.ApplyTo(silo, configuration);
    }

    public static IClientBuilder UseActorChatCluster(this IClientBuilder client, IConfiguration configuration)
    {
        var options = configuration.Read(ChatClusterOptions.Section, new ChatClusterOptionsValidator());
        if (options.Membership == MembershipProvider.Redis)
        {
            var redis = SiloBuilderExtensions.RedisConfiguration(options.Redis ?? configuration["ActorChat:Redis"], ChatClusterOptions.Section);
            client.UseRedisClustering(o => o.ConfigurationOptions = redis);
        }
        else
        {
            if (options.Gateways.Count == 0)
            {
                throw new OptionsValidationException(ChatClusterOptions.Section, typeof(ChatClusterOptions), ["A client with Development membership needs ActorChat:Cluster:Gateways."]);
            }

            client.UseStaticClustering([.. options.Gateways.Select(ParseEndpoint)]);
        }

        client.Configure<ClusterOptions>(c =>
        {
            c.ClusterId = options.ClusterId;
            c.ServiceId = options.ServiceId;
        });
        client.Configure<ClientMessagingOptions>(configuration.GetSection($"{ChatClusterOptions.Section}:Messaging"));
        client.Configure<GatewayOptions>(configuration.GetSection($"{ChatClusterOptions.Section}:Gateway"));
        return ClusterTransportSecurity.ApplyTo(client, configuration);
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
            var address = Dns.GetHostAddresses(gateway[..separator]).First(a => a.AddressFamily == AddressFamily.InterNetwork);
            return new IPEndPoint(address, port);
        }

        throw new OptionsValidationException(ChatClusterOptions.Section, typeof(ChatClusterOptions), [$"Gateway '{gateway}' is not host:port."]);
    }
}
