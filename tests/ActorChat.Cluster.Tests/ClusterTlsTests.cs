using System.Globalization;
using ActorChat.Contracts;
using ActorChat.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorChat.Cluster.Tests;

/// <summary>
/// Two silos that require mutual TLS with certificates from the cluster's own CA (generated here, written to files),
/// in this process on loopback ports the OS picked. The second silo joins through the first's silo port, so silo to
/// silo TLS works once both have started.
/// </summary>
public sealed class TlsCluster : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("actorchat-tls-").FullName;
    private readonly List<IHost> _silos = [];

    public TestCertificates Authority { get; private set; } = null!;

    public TestCertificates Stranger { get; private set; } = null!;

    public int GatewayPort { get; } = FreePorts.Next();

    public RefusedHandshakes Refusals { get; } = new();

    public async Task InitializeAsync()
    {
        Authority = new TestCertificates(_directory, "cluster");
        Stranger = new TestCertificates(_directory, "stranger");
        var primaryPort = FreePorts.Next();
        await StartSiloAsync("silo1", primaryPort, GatewayPort, primary: null);
        await StartSiloAsync("silo2", FreePorts.Next(), FreePorts.Next(), primary: $"127.0.0.1:{primaryPort}");
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in Enumerable.Reverse(_silos))
        {
            await silo.StopAsync(TimeSpan.FromSeconds(10));
            silo.Dispose();
        }

        Authority?.Dispose();
        Stranger?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Settings for a client of this cluster's gateway, plus <paramref name="tls"/> under <c>ActorChat:Cluster:Tls</c>.</summary>
    public IConfiguration ClientSettings(IReadOnlyDictionary<string, string?> tls)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ActorChat:Cluster:ClusterId"] = "tls",
            ["ActorChat:Cluster:ServiceId"] = "tls",
            ["ActorChat:Cluster:Gateways:0"] = $"127.0.0.1:{GatewayPort}",
        };
        foreach (var (key, value) in tls)
        {
            settings[$"{ClusterTlsOptions.Section}:{key}"] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    /// <summary>
    /// Starts a client with <paramref name="settings"/>, joins a room and sends a message. A client the cluster
    /// refuses keeps trying until <paramref name="cancellation"/> (or the deadline) ends it.
    /// </summary>
    public static async Task<long> SendAsync(IConfiguration settings, Action<IClientBuilder>? more = null, CancellationToken cancellation = default)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.UseActorChatCluster(settings);
            more?.Invoke(client);
        });
        using var host = builder.Build();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(Deadline);
        await host.StartAsync(deadline.Token);
        try
        {
            var room = host.Services.GetRequiredService<IClusterClient>().GetGrain<IRoomGrain>("tls-room");
            await room.Join("alice").WaitAsync(deadline.Token);
            var sent = await room.Send("alice", "over mutual TLS", clientMsgId: null).WaitAsync(deadline.Token);
            return sent.Seq;
        }
        finally
        {
            await host.StopAsync(TimeSpan.FromSeconds(5));
        }
    }

    private async Task StartSiloAsync(string name, int siloPort, int gatewayPort, string? primary)
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ActorChat:Cluster:ClusterId"] = "tls",
            ["ActorChat:Cluster:ServiceId"] = "tls",
            ["ActorChat:Cluster:SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["ActorChat:Cluster:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["ActorChat:Cluster:PrimarySiloEndpoint"] = primary,
            ["ActorChat:Storage:Provider"] = "Memory",
            ["ActorChat:Cluster:Tls:CertificatePath"] = Authority.IssuePfx(name),
            ["ActorChat:Cluster:Tls:CertificatePassword"] = TestCertificates.Password,
            ["ActorChat:Cluster:Tls:CaCertificatePath"] = Authority.AuthorityPem,
            ["ActorChat:Cluster:Tls:RequirePeerCertificate"] = "true",
        }).Build();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(Refusals);
        builder.UseOrleans(silo => silo.UseActorChatCluster(settings).AddActorChatGrains(settings));
        var host = builder.Build();
        _silos.Add(host);
        using var deadline = new CancellationTokenSource(Deadline);
        await host.StartAsync(deadline.Token);
    }
}

/// <summary>With mutual TLS required, only a client holding a certificate from the cluster's CA gets in.</summary>
public sealed class ClusterTlsTests(TlsCluster cluster) : IClassFixture<TlsCluster>
{
    [Fact]
    public async Task A_client_with_a_certificate_from_the_clusters_CA_connects_and_calls_a_grain()
    {
        var (certificate, key) = cluster.Authority.IssuePem("front-end");
        var seq = await TlsCluster.SendAsync(cluster.ClientSettings(new Dictionary<string, string?>
        {
            ["CertificatePath"] = certificate,
            ["KeyPath"] = key,
            ["CaCertificatePath"] = cluster.Authority.AuthorityPem,
        }));
        Assert.True(seq >= 1);
    }

    [Fact]
    public async Task A_client_without_TLS_cannot_connect()
    {
        await AssertRefusedAsync(cluster.ClientSettings(new Dictionary<string, string?>()));
    }

    [Fact]
    public async Task A_client_speaking_TLS_without_a_certificate_cannot_connect()
    {
        // It trusts the silos' certificate, so the only thing it lacks is one of its own.
        await AssertRefusedAsync(
            cluster.ClientSettings(new Dictionary<string, string?>()),
            client => client.UseTls(tls =>
            {
                tls.ClientCertificateMode = Orleans.Connections.Security.RemoteCertificateMode.NoCertificate;
                tls.AllowAnyRemoteCertificate();
            }));
    }

    [Fact]
    public async Task A_client_with_a_certificate_from_another_CA_cannot_connect()
    {
        await AssertRefusedAsync(cluster.ClientSettings(new Dictionary<string, string?>
        {
            ["CertificatePath"] = cluster.Stranger.IssuePfx("intruder"),
            ["CertificatePassword"] = TestCertificates.Password,
            ["CaCertificatePath"] = cluster.Authority.AuthorityPem,
        }));
    }

    [Fact]
    public async Task A_missing_certificate_file_stops_the_start_with_one_line_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.pfx");
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TlsCluster.SendAsync(
            cluster.ClientSettings(new Dictionary<string, string?> { ["CertificatePath"] = missing })));
        var reason = Assert.Single(failure.Failures);
        Assert.Equal($"ActorChat:Cluster:Tls:CertificatePath: no file at {missing}.", reason);
    }

    /// <summary>The silos refuse the client's handshake, and the client, still trying, gets nothing done.</summary>
    private async Task AssertRefusedAsync(IConfiguration settings, Action<IClientBuilder>? more = null)
    {
        var seen = cluster.Refusals.Count;
        using var giveUp = new CancellationTokenSource();
        var attempt = TlsCluster.SendAsync(settings, more, giveUp.Token);
        await cluster.Refusals.AfterAsync(seen).WaitAsync(TimeSpan.FromSeconds(30));
        await giveUp.CancelAsync();
        var stopped = await Assert.ThrowsAnyAsync<Exception>(() => attempt);
        Assert.True(stopped is OperationCanceledException or OrleansException, stopped.ToString());
    }
}
