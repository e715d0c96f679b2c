namespace ActorChat.Contracts;

/// <summary>An event published on a room's stream.</summary>
[GenerateSerializer]
[Alias("ActorChat.RoomEvent")]
public abstract record RoomEvent
{
    public abstract string Room { get; }

    /// <summary>The event's place in the room's log (messages and changes); null for presence, typing and reads.</summary>
    public virtual long? Position => null;
}

[GenerateSerializer]
[Alias("ActorChat.MessagePosted")]
[Immutable]
public sealed record MessagePosted(
    [property: Id(0)] ChatMessage Message,
    [property: Id(1)] string? TraceParent = null) : RoomEvent
{
    public override string Room => Message.Room;

    public override long? Position => Message.Seq;
}

[GenerateSerializer]
[Alias("ActorChat.PresenceStatus")]
public enum PresenceStatus
{
    Joined = 0,
    Left = 1,
    Online = 2,
    Offline = 3,
}

[GenerateSerializer]
[Alias("ActorChat.PresenceChanged")]
[Immutable]
public sealed record PresenceChanged(
    [property: Id(0)] string RoomId,
    [property: Id(1)] string User,
    [property: Id(2)] PresenceStatus Status) : RoomEvent
{
    public override string Room => RoomId;
}

[GenerateSerializer]
[Alias("ActorChat.UserTyping")]
[Immutable]
public sealed record UserTyping(
    [property: Id(0)] string RoomId,
    [property: Id(1)] string User) : RoomEvent
{
    public override string Room => RoomId;
}

[GenerateSerializer]
[Alias("ActorChat.ReadMoved")]
[Immutable]
public sealed record ReadMoved(
    [property: Id(0)] string RoomId,
    [property: Id(1)] string User,
    [property: Id(2)] long Seq) : RoomEvent
{
    public override string Room => RoomId;
}
