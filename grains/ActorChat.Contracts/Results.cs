namespace ActorChat.Contracts;

[GenerateSerializer]
[Alias("ActorChat.JoinResult")]
[Immutable]
public sealed record JoinResult(
    [property: Id(0)] long LastSeq,
    [property: Id(1)] int MemberCount,
    [property: Id(2)] long FirstAvailableSeq,
    [property: Id(3)] bool IsPrivate = false,
    [property: Id(4)] string? Topic = null,
    [property: Id(5)] int SlowModeSeconds = 0,
    [property: Id(6)] RoomRole Role = RoomRole.Member);

[GenerateSerializer]
[Alias("ActorChat.SendResult")]
[Immutable]
public sealed record SendResult(
    [property: Id(0)] long Seq,
    [property: Id(1)] DateTimeOffset Ts,
    [property: Id(2)] bool Duplicate);

/// <summary>One draft's outcome in <see cref="IRoomGrain.PostMany"/>: what it was stored as, or why it was refused.</summary>
[GenerateSerializer]
[Alias("ActorChat.PostOutcome")]
public sealed record PostOutcome(
    [property: Id(0)] SendResult? Sent,
    [property: Id(1)] ChatException? Refused);

[GenerateSerializer]
[Alias("ActorChat.HistoryPage")]
[Immutable]
public sealed record HistoryPage(
    [property: Id(0)] IReadOnlyList<ChatMessage> Messages,
    [property: Id(1)] bool HasMore,
    [property: Id(2)] long? Next = null);

[GenerateSerializer]
[Alias("ActorChat.MemberInfo")]
[Immutable]
public sealed record MemberInfo(
    [property: Id(0)] string User,
    [property: Id(1)] bool Online,
    [property: Id(2)] RoomRole Role = RoomRole.Member);

/// <summary>A page of members; with <paramref name="PresenceOff"/> (a room above the presence limit) no member's <see cref="MemberInfo.Online"/> is known.</summary>
[GenerateSerializer]
[Alias("ActorChat.MembersPage")]
[Immutable]
public sealed record MembersPage(
    [property: Id(0)] IReadOnlyList<MemberInfo> Members,
    [property: Id(1)] bool HasMore,
    [property: Id(2)] bool PresenceOff = false);

[GenerateSerializer]
[Alias("ActorChat.RoomInfo")]
[Immutable]
public sealed record RoomInfo(
    [property: Id(0)] string Room,
    [property: Id(1)] bool Exists,
    [property: Id(2)] bool IsDirect,
    [property: Id(3)] int MemberCount,
    [property: Id(4)] long LastSeq,
    [property: Id(5)] bool IsPrivate = false,
    [property: Id(6)] string? Topic = null,
    [property: Id(7)] int SlowModeSeconds = 0);

[GenerateSerializer]
[Alias("ActorChat.RoomListing")]
[Immutable]
public sealed record RoomListing(
    [property: Id(0)] string Room,
    [property: Id(1)] int MemberCount);

[GenerateSerializer]
[Alias("ActorChat.UserRoom")]
[Immutable]
public sealed record UserRoom(
    [property: Id(0)] string Room,
    [property: Id(1)] long LastRead,
    [property: Id(2)] long LastSeq = 0,
    [property: Id(3)] int Unread = 0,
    [property: Id(4)] int Mentions = 0);

/// <summary>A stretch of a room's log: messages (<see cref="MessagePosted"/>) and changes, in seq order.</summary>
[GenerateSerializer]
[Alias("ActorChat.LogPage")]
[Immutable]
public sealed record LogPage(
    [property: Id(0)] IReadOnlyList<RoomEvent> Entries,
    [property: Id(1)] bool HasMore);

/// <summary>A change was stored at <paramref name="Seq"/> in the room's log.</summary>
[GenerateSerializer]
[Alias("ActorChat.ChangeResult")]
[Immutable]
public sealed record ChangeResult(
    [property: Id(0)] long Seq,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] int Count = 0);

/// <summary>A member of <paramref name="Room"/> invited the user; kept until the user joins or declines.</summary>
[GenerateSerializer]
[Alias("ActorChat.Invitation")]
[Immutable]
public sealed record Invitation(
    [property: Id(0)] string Room,
    [property: Id(1)] string By,
    [property: Id(2)] DateTimeOffset At);
