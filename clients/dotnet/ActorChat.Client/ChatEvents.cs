using System.Text.Json.Serialization;

namespace ActorChat.Client;

/// <summary>Something the server pushed (or the client noticed about its connection); match on the derived type.</summary>
public abstract record ChatEvent;

/// <summary>
/// A message: as the <c>message</c> event of a followed room or a direct message, and in <c>history</c>. A replayed
/// or paged message comes in its current state: <see cref="EditedAt"/> once edited, <see cref="Deleted"/> (and no
/// <see cref="Text"/>) once deleted; <see cref="Reactions"/> in <c>history</c> only.
/// </summary>
public sealed record ChatMessage(
    string Room,
    long Seq,
    string From,
    string? Text,
    [property: JsonPropertyName("ts")] DateTimeOffset Timestamp,
    string? ClientMsgId = null,
    long? ReplyTo = null,
    IReadOnlyList<string>? Mentions = null,
    string? Kind = null,
    DateTimeOffset? EditedAt = null,
    bool Deleted = false,
    IReadOnlyList<ReactionCount>? Reactions = null) : ChatEvent;

/// <summary>How many gave <see cref="Emoji"/> to a message, and whether this user is one of them.</summary>
public sealed record ReactionCount(string Emoji, int Count, bool Me);

/// <summary>The message <see cref="Seq"/> now reads <see cref="Text"/> (<c>edited</c>).</summary>
public sealed record MessageEdited(string Room, long Seq, string Text, DateTimeOffset EditedAt, string By, long LogSeq) : ChatEvent;

/// <summary>The message <see cref="Seq"/> was deleted: forget its text (<c>deleted</c>).</summary>
public sealed record MessageDeleted(string Room, long Seq, string By, long LogSeq) : ChatEvent;

/// <summary><see cref="User"/> added or took back <see cref="Emoji"/>; <see cref="Count"/> is how many have it now: set it, do not add (<c>reaction</c>).</summary>
public sealed record ReactionChanged(string Room, long Seq, string Emoji, string User, bool Added, int Count, long LogSeq) : ChatEvent;

/// <summary>An owner or admin acted on <see cref="User"/> (<c>moderation</c>); <see cref="Action"/> is one of <see cref="ModerationActions"/>.</summary>
public sealed record MemberModerated(string Room, string User, string Action, string By, long LogSeq, DateTimeOffset? Until = null, string? Role = null) : ChatEvent;

/// <summary>The room's topic or slow mode changed (<c>settings</c>).</summary>
public sealed record SettingsChanged(string Room, string? Topic, int SlowMode, string By, long LogSeq) : ChatEvent;

/// <summary>A membership started or ended, or a member came online or went offline (<c>presence</c>); <see cref="Status"/> is one of <see cref="PresenceStatuses"/>.</summary>
public sealed record PresenceChanged(string Room, string User, string Status) : ChatEvent;

/// <summary>Another member is typing (<c>typing</c>).</summary>
public sealed record UserTyping(string Room, string User) : ChatEvent;

/// <summary>Another member's read pointer moved (<c>read</c>).</summary>
public sealed record ReadMoved(string Room, string User, long Seq) : ChatEvent;

/// <summary>
/// Public rooms whose member count changed (<c>directory</c>; 0 means no longer listed). After a reconnect the client
/// browses again and passes the fresh first page with <see cref="Reset"/>: replace the list rather than merge.
/// </summary>
public sealed record DirectoryChanged(IReadOnlyList<RoomListing> Rooms, bool Reset = false, string? Next = null) : ChatEvent;

/// <summary>A member of a private room invited this user (<c>invited</c>).</summary>
public sealed record Invited(string Room, string By, [property: JsonPropertyName("ts")] DateTimeOffset Timestamp) : ChatEvent;

/// <summary>
/// The connection's state moved. <see cref="CloseCode"/> is the server's close status when a socket closed (null
/// when it dropped); <see cref="Error"/> why an attempt failed, or why the client stopped for good.
/// </summary>
public sealed record ConnectionStateChanged(
    ChatConnectionState State,
    int Attempt = 0,
    TimeSpan? Delay = null,
    int? CloseCode = null,
    string? CloseReason = null,
    Exception? Error = null) : ChatEvent;

/// <summary>
/// A joined room was joined again after a reconnect with <see cref="Since"/>; whatever came after it has been or is
/// being replayed. <see cref="Recovered"/> is false when history no longer held all of it.
/// </summary>
public sealed record RoomResumed(string Room, long Since, bool Recovered, long LastSeq) : ChatEvent;

/// <summary>A joined room refused the join after a reconnect (the user was banned, say); it is no longer followed.</summary>
public sealed record RoomResumeFailed(string Room, ChatException Error) : ChatEvent;

public enum ChatConnectionState
{
    /// <summary>Not connected yet, or the first connect failed.</summary>
    Disconnected,
    Connecting,
    Open,
    Reconnecting,

    /// <summary>For good: closed by its owner, or the server refused the token.</summary>
    Closed,
}
