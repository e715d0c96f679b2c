namespace ActorChat.Contracts;

/// <summary>
/// One stored message, in its current state. <see cref="Seq"/> is its place in the room's log, which numbers
/// messages and the changes made to them (edits, deletions, reactions, moderation) 1, 2, 3, ... with no gap.
/// </summary>
[GenerateSerializer]
[Alias("ActorChat.ChatMessage")]
[Immutable]
public sealed record ChatMessage(
    [property: Id(0)] string Room,
    [property: Id(1)] long Seq,
    [property: Id(2)] string From,
    [property: Id(3)] string Text,
    [property: Id(4)] DateTimeOffset Ts,
    [property: Id(5)] string? ClientMsgId,
    [property: Id(6)] DateTimeOffset? EditedAt = null,
    [property: Id(7)] bool Deleted = false,
    [property: Id(8)] long? ReplyTo = null,
    [property: Id(9)] IReadOnlyList<string>? Mentions = null,
    [property: Id(10)] IReadOnlyList<ReactionCount>? Reactions = null,
    [property: Id(11)] SenderKind Kind = SenderKind.User);

/// <summary>Who sent a message: a signed-in user, or a backend through the server API (a named bot, or the system).</summary>
[GenerateSerializer]
[Alias("ActorChat.SenderKind")]
public enum SenderKind
{
    User = 0,
    Bot = 1,
    System = 2,
}

/// <summary>How many reacted to a message with one emoji, and whether the reader did (history only).</summary>
[GenerateSerializer]
[Alias("ActorChat.ReactionCount")]
[Immutable]
public sealed record ReactionCount(
    [property: Id(0)] string Emoji,
    [property: Id(1)] int Count,
    [property: Id(2)] bool Me);

/// <summary>What a member sends: the text and what it answers and names.</summary>
[GenerateSerializer]
[Alias("ActorChat.MessageDraft")]
[Immutable]
public sealed record MessageDraft(
    [property: Id(0)] string Text,
    [property: Id(1)] string? ClientMsgId,
    [property: Id(2)] long? ReplyTo = null,
    [property: Id(3)] IReadOnlyList<string>? Mentions = null);
