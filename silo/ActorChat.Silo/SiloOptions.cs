using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ActorChat.Silo;

/// <summary>Where this silo listens and which cluster it joins, bound from <c>ActorChat:Silo</c>. See docs/configuration.md.</summary>
public sealed class SiloOptions
{
    public const string Section = "ActorChat:Silo";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port front ends in client mode connect to.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Silo port of the primary silo for development clustering; empty when this silo is the primary.</summary>
    public string? PrimarySiloEndpoint { get; set; }

    [Required]
    public string ClusterId { get; set; } = "actorchat";

    [Required]
    public string ServiceId { get; set; } = "actorchat";
}

[OptionsValidator]
internal sealed partial class SiloOptionsValidator : IValidateOptions<SiloOptions>;
