namespace ActorChat.Contracts;

/// <summary>
/// A change recorded in a room's log after a message or to the room: it takes the next <see cref="Seq"/> of the
/// same log as messages, so changes and messages are delivered, and replayed after <c>since</c>, in one order.
/// </summary>
[GenerateSerializer]
[Alias("ActorChat.RoomChange")]
public abstract record RoomChange : RoomEvent
{
    /// <summary>The change's own place in the room's log.</summary>
    public abstract long Seq { get; }

    /// <summary>Who made the change.</summary>
    public abstract string By { get; }

    public override long? Position => Seq;
}

[GenerateSerializer]
[Alias("ActorChat.MessageEdited")]
[Immutable]
public sealed record MessageEdited(
    [property: Id(0)] string RoomId,
    [property: Id(1)] long LogSeq,
    [property: Id(2)] long Target,
    [property: Id(3)] string Text,
    [property: Id(4)] DateTimeOffset EditedAt,
    [property: Id(5)] string Editor) : RoomChange
{
    public override string Room => RoomId;

    public override long Seq => LogSeq;

    public override string By => Editor;
}

[GenerateSerializer]
[Alias("ActorChat.MessageDeleted")]
[Immutable]
public sealed record MessageDeleted(
    [property: Id(0)] string RoomId,
    [property: Id(1)] long LogSeq,
    [property: Id(2)] long Target,
    [property: Id(3)] string Deleter,
    [property: Id(4)] DateTimeOffset At) : RoomChange
{
    public override string Room => RoomId;

    public override long Seq => LogSeq;

    public override string By => Deleter;
}

/// <summary>A reaction added or taken back; <see cref="Count"/> is how many have it now (apply it, do not add).</summary>
[GenerateSerializer]
[Alias("ActorChat.ReactionChanged")]
[Immutable]
public sealed record ReactionChanged(
    [property: Id(0)] string RoomId,
    [property: Id(1)] long LogSeq,
    [property: Id(2)] long Target,
    [property: Id(3)] string Emoji,
    [property: Id(4)] string User,
    [property: Id(5)] bool Added,
    [property: Id(6)] int Count,
    [property: Id(7)] DateTimeOffset At) : RoomChange
{
    public override string Room => RoomId;

    public override long Seq => LogSeq;

    public override string By => User;
}

[GenerateSerializer]
[Alias("ActorChat.ModerationAction")]
public enum ModerationAction
{
    Role = 0,
    Kick = 1,
    Ban = 2,
    Unban = 3,
    Mute = 4,
    Unmute = 5,
}

[GenerateSerializer]
[Alias("ActorChat.RoomRole")]
public enum RoomRole
{
    Member = 0,
    Admin = 1,
    Owner = 2,
}

/// <summary>An owner or admin acted on a member: a role given, a kick, a ban or mute (until a time, or for good), or their end.</summary>
[GenerateSerializer]
[Alias("ActorChat.MemberModerated")]
[Immutable]
public sealed record MemberModerated(
    [property: Id(0)] string RoomId,
    [property: Id(1)] long LogSeq,
    [property: Id(2)] string User,
    [property: Id(3)] ModerationAction Action,
    [property: Id(4)] string Moderator,
    [property: Id(5)] DateTimeOffset At,
    [property: Id(6)] DateTimeOffset? Until = null,
    [property: Id(7)] RoomRole? Role = null) : RoomChange
{
    public override string Room => RoomId;

    public override long Seq => LogSeq;

    public override string By => Moderator;

    /// <summary>The user no longer belongs to the room: their connections stop receiving it.</summary>
    public bool Removes => Action is ModerationAction.Kick or ModerationAction.Ban;
}

/// <summary>The room's settings after an owner or admin changed them.</summary>
[GenerateSerializer]
[Alias("ActorChat.SettingsChanged")]
[Immutable]
public sealed record SettingsChanged(
    [property: Id(0)] string RoomId,
    [property: Id(1)] long LogSeq,
    [property: Id(2)] string? Topic,
    [property: Id(3)] int SlowModeSeconds,
    [property: Id(4)] string Changer,
    [property: Id(5)] DateTimeOffset At) : RoomChange
{
    public override string Room => RoomId;

    public override long Seq => LogSeq;

    public override string By => Changer;
}
