using ActorChat.Contracts;

namespace ActorChat.Grains;

[GenerateSerializer]
[Alias("ActorChat.Grains.UserState")]
public sealed class UserState
{
    /// <summary>Room id to the highest sequence the user has read there.</summary>
    [Id(0)]
    public SortedDictionary<string, long> Rooms { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Pending invitations, oldest first, one per room; bounded by <c>ChatLimits.MaxPendingInvitations</c>.</summary>
    [Id(1)]
    public List<Invitation> Invitations { get; set; } = [];

    /// <summary>Rooms this user created, direct conversations included (the total quota).</summary>
    [Id(2)]
    public int RoomsCreated { get; set; }

    /// <summary>When this user created rooms within the current window, oldest first (the per-window quota).</summary>
    [Id(3)]
    public List<DateTimeOffset> RecentCreations { get; set; } = [];
}
