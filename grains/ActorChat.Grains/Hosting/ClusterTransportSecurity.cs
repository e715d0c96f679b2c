using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace ActorChat.Grains.Hosting;

/// <summary>
/// TLS on the Orleans connections when <c>ActorChat:Cluster:Tls</c> names a certificate: silo to silo, and client to
/// gateway. Applied through the connection options, which Orleans reads when it opens its ports, so the settings are
/// validated first and a missing file stops the start with one line.
/// </summary>
internal sealed partial class ClusterTransportSecurity(IOptions<ClusterTlsOptions> options, ILogger<ClusterTransportSecurity> logger)
{
    private readonly Lazy<TlsOptions?> _tls = new(() => Create(options.Value, logger));

    /// <summary>The TLS settings for Orleans' connection middleware, or null when cluster TLS is off.</summary>
    public TlsOptions? Tls => _tls.Value;

    /// <summary>On a silo: its silo and gateway ports, and its connections to other silos.</summary>
    public static ISiloBuilder ApplyTo(ISiloBuilder silo, IConfiguration configuration)
    {
        Register(silo.Services, configuration);
        silo.Services.AddOptions<SiloConnectionOptions>().Configure<ClusterTransportSecurity>((connections, security) =>
        {
            if (security.Tls is { } tls)
            {
                connections.ConfigureSiloInboundConnection(connection => connection.UseServerTls(tls));
                connections.ConfigureGatewayInboundConnection(connection => connection.UseServerTls(tls));
                connections.ConfigureSiloOutboundConnection(connection => connection.UseClientTls(tls));
            }
        });
        return silo;
    }

    /// <summary>On a client: its connections to gateways.</summary>
    public static IClientBuilder ApplyTo(IClientBuilder client, IConfiguration configuration)
    {
        Register(client.Services, configuration);
        client.Services.AddOptions<ClientConnectionOptions>().Configure<ClusterTransportSecurity>((connections, security) =>
        {
            if (security.Tls is { } tls)
            {
                connections.ConfigureConnection(connection => connection.UseClientTls(tls));
            }
        });
        return client;
    }

    private static void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterTlsOptions>().Bind(configuration.GetSection(ClusterTlsOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterTlsOptions>, ClusterTlsOptionsValidator>());
        services.TryAddSingleton<ClusterTransportSecurity>();
    }

    private static TlsOptions? Create(ClusterTlsOptions settings, ILogger logger)
    {
        if (!settings.Enabled)
        {
            return null;
        }

        var certificate = ClusterCertificates.Load(settings);
        var tls = new TlsOptions
        {
            LocalCertificate = certificate,
            RemoteCertificateMode = settings.RequirePeerCertificate ? RemoteCertificateMode.RequireCertificate : RemoteCertificateMode.AllowCertificate,

            // Always present this process's certificate when connecting out, so a silo that requires one gets it.
            ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
            HandshakeTimeout = settings.HandshakeTimeout,
        };

        string trust;
        if (string.IsNullOrEmpty(settings.CaCertificatePath))
        {
            trust = "the system's trusted roots";
        }
        else
        {
            // Identity is "issued by our CA": silos are reached by address, so a host name check would only get in the way.
            var authorities = ClusterCertificates.LoadAuthorities(settings.CaCertificatePath);
            tls.RemoteCertificateValidation = (peer, chain, _) => ClusterCertificates.ChainsTo(peer, chain, authorities);
            trust = string.Join(", ", authorities.Select(a => a.Subject));
        }

        LogTls(logger, certificate.Subject, trust, settings.RequirePeerCertificate);
        return tls;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster connections use TLS with certificate {Subject}; peers must chain to {Trust}; peer certificate required: {Required}")]
    private static partial void LogTls(ILogger logger, string subject, string trust, bool required);
}
