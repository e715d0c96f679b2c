using System.ComponentModel.DataAnnotations;

namespace ActorChat.Contracts;

/// <summary>
/// Limits that front ends check before calling a grain and grains enforce again, bound from
/// <c>ActorChat:Limits</c> on every process. See docs/configuration.md.
/// </summary>
public sealed class ChatLimits
{
    public const string Section = "ActorChat:Limits";

    /// <summary>Longest message text in UTF-16 code units.</summary>
    [Range(1, 1_000_000)]
    public int MaxTextLength { get; set; } = 4000;

    /// <summary>Messages one call may post together (the sends a connection queued behind one of its own in flight).</summary>
    [Range(1, 10_000)]
    public int MaxPostBatch { get; set; } = 64;

    /// <summary>Largest page of <c>history</c> and of REST message reads.</summary>
    [Range(1, 10_000)]
    public int MaxHistoryPage { get; set; } = 200;

    /// <summary>
    /// Bytes of encoded messages (their text as JSON escapes it, and an allowance for the other fields) one page of
    /// <c>history</c> or of REST message reads holds at most; a page that would hold more ends early with
    /// <c>hasMore</c>, but always holds at least one message.
    /// </summary>
    [Range(16 * 1024, 64 * 1024 * 1024)]
    public int MaxHistoryPageBytes { get; set; } = 256 * 1024;

    /// <summary>Page size of <c>history</c> when the request names none.</summary>
    [Range(1, 10_000)]
    public int DefaultHistoryPage { get; set; } = 50;

    /// <summary>Largest page of <c>members</c>.</summary>
    [Range(1, 10_000)]
    public int MaxMembersPage { get; set; } = 500;

    /// <summary>Largest page of public rooms (<c>browse</c> and <c>GET /api/rooms</c>); 100 when the request names none.</summary>
    [Range(1, 10_000)]
    public int MaxRoomsPage { get; set; } = 500;

    /// <summary>Invitations a user holds at most; a new one beyond this drops the oldest notice (not the room's admission).</summary>
    [Range(1, 10_000)]
    public int MaxPendingInvitations { get; set; } = 100;

    /// <summary>Users a private room holds invitations for at once; one more invite is <c>quota_exceeded</c>.</summary>
    [Range(1, 100_000)]
    public int MaxInvitedPerRoom { get; set; } = 100;

    /// <summary>Rooms (direct conversations aside) one user may belong to; one more join is <c>quota_exceeded</c>.</summary>
    [Range(1, 1_000_000)]
    public int MaxMembershipsPerUser { get; set; } = 1000;

    /// <summary>Rooms one user may create in all, direct conversations included.</summary>
    [Range(1, 10_000_000)]
    public int MaxRoomsCreated { get; set; } = 10_000;

    /// <summary>Rooms one user may create within <see cref="RoomCreationWindow"/>, direct conversations included.</summary>
    [Range(1, 1_000_000)]
    public int MaxRoomCreationsPerWindow { get; set; } = 60;

    /// <summary>The sliding window of <see cref="MaxRoomCreationsPerWindow"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan RoomCreationWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Distinct emoji one message may carry as reactions; one more kind is <c>quota_exceeded</c>.</summary>
    [Range(1, 1000)]
    public int MaxReactionKinds { get; set; } = 20;

    /// <summary>Users one message may mention; more is <c>bad_request</c>.</summary>
    [Range(0, 1000)]
    public int MaxMentions { get; set; } = 20;

    /// <summary>Longest room topic in UTF-16 code units.</summary>
    [Range(1, 10_000)]
    public int MaxTopicLength { get; set; } = 250;

    /// <summary>Longest request <c>id</c> and <c>clientMsgId</c>.</summary>
    [Range(1, 1024)]
    public int MaxIdLength { get; set; } = 64;
}
