using System.Text.Json.Serialization;

namespace ActorChat.Client;

/// <summary>The ok of <c>join</c>. <see cref="Role"/> is the user's own.</summary>
public sealed record JoinResult(
    string Room,
    long LastSeq,
    int MemberCount,
    bool Recovered,
    [property: JsonPropertyName("private")] bool IsPrivate = false,
    string? Topic = null,
    int SlowMode = 0,
    string? Role = null);

/// <summary>The ok of <c>send</c> and <c>dm</c>: where the message was stored.</summary>
public sealed record SendResult(string Room, long Seq, [property: JsonPropertyName("ts")] DateTimeOffset Timestamp);

public sealed record HistoryPage(string Room, IReadOnlyList<ChatMessage> Messages, bool HasMore);

/// <summary>One member; <see cref="Online"/> is null in a room above the server's presence limit, where who is online is not tracked.</summary>
public sealed record RoomMember(string User, bool? Online, string? Role = null);

public sealed record MembersPage(string Room, IReadOnlyList<RoomMember> Members, bool HasMore);

/// <summary>One of the user's rooms: <see cref="Unread"/> counts messages after <see cref="LastRead"/>, <see cref="Mentions"/> those that mention the user.</summary>
public sealed record RoomMembership(string Room, long LastSeq, long LastRead, long Unread, long Mentions = 0);

public sealed record Invitation(string Room, string By, [property: JsonPropertyName("ts")] DateTimeOffset Timestamp);

/// <summary>A public room and its member count.</summary>
public sealed record RoomListing(string Room, int Members);

/// <summary>A page of public rooms; pass <see cref="Next"/> as <c>after</c> for the next (null on the last).</summary>
public sealed record BrowsePage(IReadOnlyList<RoomListing> Rooms, string? Next);

/// <summary>The ok of <c>invite</c>, <c>kick</c>, <c>ban</c>, <c>unban</c>, <c>mute</c> and <c>unmute</c>.</summary>
public sealed record MemberResult(string Room, string User);

public sealed record RoleResult(string Room, string User, string Role);

/// <summary>The ok of <c>read</c>: the read pointer after the call.</summary>
public sealed record ReadResult(string Room, long Seq);

public sealed record EditResult(string Room, long Seq, long LogSeq, DateTimeOffset EditedAt);

public sealed record DeleteResult(string Room, long Seq, long LogSeq);

/// <summary>The ok of <c>react</c> and <c>unreact</c>: how many have <see cref="Emoji"/> now.</summary>
public sealed record ReactionResult(string Room, long Seq, string Emoji, int Count);

public sealed record SettingsResult(string Room, string? Topic, int SlowMode);

/// <summary>A token from the server's development login (<c>POST /api/auth/token</c>).</summary>
public sealed record DevLogin(string Token, string User, DateTimeOffset ExpiresAt);

/// <summary>A one-use ticket to open one socket or event stream with (<c>POST /api/auth/ticket</c>).</summary>
public sealed record ChatTicket(string Ticket, DateTimeOffset ExpiresAt);

internal sealed record Welcome(string User, string Connection, int Protocol);

internal sealed record ErrorReply(string? Code, string? Message, long? RetryAfterMs);

internal sealed record RoomReply(string Room);

internal sealed record RoomsReply(IReadOnlyList<RoomMembership> Rooms);

internal sealed record InvitationsReply(IReadOnlyList<Invitation> Invitations);

internal sealed record PingReply([property: JsonPropertyName("ts")] DateTimeOffset Timestamp);

internal sealed record RefreshReply(DateTimeOffset? ExpiresAt);

internal sealed record ProblemReply(string? Code, string? Detail, string? Title);
