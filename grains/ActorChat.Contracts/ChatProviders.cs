namespace ActorChat.Contracts;

/// <summary>The one place that names every Orleans provider ActorChat registers.</summary>
public static class ChatProviders
{
    /// <summary>Stream provider that carries room and user events.</summary>
    public const string Streams = "chat";

    /// <summary>Grain storage for room and user state.</summary>
    public const string Storage = "chat";

    /// <summary>Storage Orleans uses for stream subscriptions (the name Orleans looks up by default).</summary>
    public const string PubSubStorage = "PubSubStore";
}
