using System.ComponentModel.DataAnnotations;

namespace ActorChat.Grains.Hosting;

/// <summary>Cluster membership and endpoints, bound from <c>ActorChat:Cluster</c>. See docs/configuration.md.</summary>
public sealed class ChatClusterOptions
{
    public const string Section = "ActorChat:Cluster";

    /// <summary><c>Development</c>: one primary silo tracks members (single machine). <c>Redis</c>: membership in Redis.</summary>
    public MembershipProvider Membership { get; set; } = MembershipProvider.Development;

    /// <summary>StackExchange.Redis configuration string for <c>Redis</c> membership; falls back to <c>ActorChat:Redis</c>.</summary>
    public string? Redis { get; set; }

    [Required]
    public string ClusterId { get; set; } = "actorchat";

    /// <summary>Grain state is keyed by the service id: keep it across deployments.</summary>
    [Required]
    public string ServiceId { get; set; } = "actorchat";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients (front ends in client mode) connect to; 0 opens none.</summary>
    [Range(0, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Address other silos and clients reach this silo at; empty picks this host's address.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Development membership: <c>ip:port</c> of the primary silo's silo port; empty on the primary itself.</summary>
    public string? PrimarySiloEndpoint { get; set; }

    /// <summary>Silos in Kubernetes pods: take cluster ids and endpoints from the pod (Microsoft.Orleans.Hosting.Kubernetes).</summary>
    public bool Kubernetes { get; set; }

    /// <summary>Clients with development membership: the gateways as <c>host:port</c>.</summary>
    public List<string> Gateways { get; set; } = [];
}

public enum MembershipProvider
{
    Development,
    Redis,
}
