namespace ActorChat.Contracts;

/// <summary>One stored message. <see cref="Seq"/> numbers the room's messages 1, 2, 3, ... with no gap.</summary>
[GenerateSerializer]
[Alias("ActorChat.ChatMessage")]
[Immutable]
public sealed record ChatMessage(
    [property: Id(0)] string Room,
    [property: Id(1)] long Seq,
    [property: Id(2)] string From,
    [property: Id(3)] string Text,
    [property: Id(4)] DateTimeOffset Ts,
    [property: Id(5)] string? ClientMsgId);
