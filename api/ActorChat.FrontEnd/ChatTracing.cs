using System.Diagnostics;

namespace ActorChat.FrontEnd;

/// <summary>
/// ActorChat's spans: one per socket request (<c>chat send</c>, ...), and one per relay delivery of a message
/// (<c>chat relay</c>), the latter a child of the send that made the message, carried on the stream event.
/// </summary>
public static class ChatTracing
{
    public const string SourceName = "ActorChat";

    internal static ActivitySource Source { get; } = new(SourceName);
}
