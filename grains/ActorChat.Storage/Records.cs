using ActorChat.Contracts;

namespace ActorChat.Storage;

/// <summary>A room's own small record: what it is and how many belong to it (kept, never counted).</summary>
public sealed record RoomRecord(string Room, bool IsPrivate, bool IsDirect, int MemberCount, DateTimeOffset CreatedAt, string CreatedBy, string? Topic = null, int SlowModeSeconds = 0);

/// <summary>The quotas a join is checked against.</summary>
public sealed record JoinQuotas(int MaxMemberships, int MaxRoomsCreated, int MaxCreationsPerWindow, TimeSpan CreationWindow);

/// <summary>
/// A join: <paramref name="CreatePrivate"/> asks for a new room to be private (an existing public one is then a
/// conflict); <paramref name="Direct"/> rooms admit their two participants and count against no membership quota.
/// </summary>
/// <remarks><paramref name="Trusted"/>: a backend's join (server API), past privacy, bans and the user's quotas.</remarks>
public sealed record JoinCommand(string Room, string User, DateTimeOffset Now, bool CreatePrivate, bool Direct, JoinQuotas Quotas, bool Trusted = false);

public enum JoinStatus
{
    Joined,
    AlreadyMember,

    /// <summary>A private room, and the user neither a member nor invited.</summary>
    NotAdmitted,

    /// <summary>A private room was asked for, and a public room of that name exists.</summary>
    PublicExists,
    MembershipQuota,
    CreationQuota,

    /// <summary>The user is banned from the room (see <see cref="JoinOutcome.BannedUntil"/>).</summary>
    Banned,
}

/// <summary>
/// What a join did. <paramref name="Created"/>: the join made the room. <paramref name="NextCreation"/>: when a
/// refused creation would next be allowed (per-window quota); null when the total quota refused it.
/// <paramref name="Role"/>: the new member's role, when it joined.
/// </summary>
public sealed record JoinOutcome(JoinStatus Status, RoomRecord? Room, bool Created = false, DateTimeOffset? NextCreation = null, DateTimeOffset? BannedUntil = null,
    RoomRole Role = RoomRole.Member);

public sealed record InviteCommand(string Room, string User, string By, DateTimeOffset At, int MaxInvitedPerRoom, int MaxNoticesPerUser);

public enum InviteOutcome
{
    Invited,
    AlreadyMember,
    RoomFull,
}

/// <summary>Whether a user is in a room or invited to it.</summary>
public readonly record struct Admission(bool Member, bool Invited);

public readonly record struct LogBounds(long First, long Last);

/// <summary>A sender's client message id and what it was stored as.</summary>
public sealed record ClientMessageId(string User, string Id, long Seq, DateTimeOffset Ts);

/// <summary>A user's membership: the read pointer, the room's last seq, and unread messages and mentions (capped).</summary>
public sealed record MembershipRecord(string Room, long LastRead, long LastSeq, int Unread = 0, int Mentions = 0);

/// <summary>What a room knows of one member beyond belonging: role, mute, and when they last sent (slow mode).</summary>
public sealed record MemberState(RoomRole Role, DateTimeOffset? MutedUntil, DateTimeOffset? LastSent);

/// <summary>A ban: until when (null: until lifted), and by whom.</summary>
public sealed record Ban(DateTimeOffset? Until, string By);
