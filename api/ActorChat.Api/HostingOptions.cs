namespace ActorChat.Api;

/// <summary>How this front end reaches grains, bound from <c>ActorChat:Hosting</c>. See docs/configuration.md.</summary>
public sealed class HostingOptions
{
    public const string Section = "ActorChat:Hosting";

    /// <summary><c>Embedded</c>: co-host a silo in this process (the default). <c>Client</c>: join a cluster through its gateways.</summary>
    public HostingMode Mode { get; set; } = HostingMode.Embedded;
}

public enum HostingMode
{
    Embedded,
    Client,
}
