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
}
