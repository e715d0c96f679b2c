using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ActorChat.Api;

/// <summary>How this front end reaches grains, bound from <c>ActorChat:Hosting</c>. See docs/configuration.md.</summary>
public sealed class HostingOptions
{
    public const string Section = "ActorChat:Hosting";

    /// <summary><c>Embedded</c>: co-host a single silo in this process (the default). <c>Client</c>: join a cluster through its gateways.</summary>
    public HostingMode Mode { get; set; } = HostingMode.Embedded;

    /// <summary>Silo-to-silo port of the embedded silo.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Gateway port of the embedded silo, for outside Orleans clients; 0 opens none.</summary>
    [Range(0, 65535)]
    public int GatewayPort { get; set; }

    /// <summary>Client mode: the gateways to connect to, as <c>host:port</c>.</summary>
    public List<string> Gateways { get; set; } = [];

    /// <summary>Orleans cluster id shared by silos and clients.</summary>
    [Required]
    public string ClusterId { get; set; } = "actorchat";

    /// <summary>Orleans service id; grain state is keyed by it.</summary>
    [Required]
    public string ServiceId { get; set; } = "actorchat";
}

public enum HostingMode
{
    Embedded,
    Client,
}

[OptionsValidator]
internal sealed partial class HostingOptionsValidator : IValidateOptions<HostingOptions>;
