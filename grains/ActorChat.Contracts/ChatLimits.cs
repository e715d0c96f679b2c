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

    /// <summary>Largest page of <c>history</c> and of REST message reads.</summary>
    [Range(1, 10_000)]
    public int MaxHistoryPage { get; set; } = 200;

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

    /// <summary>Longest request <c>id</c> and <c>clientMsgId</c>.</summary>
    [Range(1, 1024)]
    public int MaxIdLength { get; set; } = 64;
}
