using Orleans.Concurrency;

namespace ActorChat.Contracts;

/// <summary>
/// One user, keyed by user id: room memberships with a read pointer each, and the user's live connections.
/// Publishes user-level events (direct messages, invitations) on <see cref="ChatStreams.ForUser"/>.
/// </summary>
[Alias("ActorChat.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Registers a live connection; the first one makes the user online in every room.</summary>
    [Alias("Connect")]
    Task Connect(string connectionId);

    /// <summary>Removes a live connection; the last one makes the user offline.</summary>
    [Alias("Disconnect")]
    Task Disconnect(string connectionId);

    [Alias("IsOnline")]
    Task<bool> IsOnline();

    /// <summary>The user's memberships with read pointers, sorted by room id.</summary>
    [Alias("Rooms")]
    Task<IReadOnlyList<UserRoom>> Rooms();

    /// <summary>
    /// Called by a room grain before membership starts, so the user's quotas hold: memberships (direct
    /// conversations aside) and, when <paramref name="creates"/>, rooms created in all and per window. Throws a
    /// <see cref="ChatException"/> with <see cref="ChatErrorCode.QuotaExceeded"/> when one is spent.
    /// </summary>
    [Alias("AddRoom")]
    Task AddRoom(string room, bool creates);

    /// <summary>Called by a room grain when membership ends.</summary>
    [Alias("RemoveRoom")]
    Task RemoveRoom(string room);

    /// <summary>Moves the read pointer of a room forward; returns the pointer after the call.</summary>
    [Alias("AdvanceRead")]
    Task<long> AdvanceRead(string room, long seq);

    /// <summary>
    /// Called by a room grain when the user sends: what one wrote oneself counts as read. One-way, so a send
    /// never waits behind the user grain (which may be storing its state).
    /// </summary>
    [Alias("MarkSent")]
    [OneWay]
    Task MarkSent(string room, long seq);

    /// <summary>Called by a room grain when a member invites the user: kept, and told to the user's connections.</summary>
    [Alias("Invited")]
    Task Invited(Invitation invitation);

    /// <summary>Invitations not yet taken up or declined, oldest first.</summary>
    [Alias("Invitations")]
    Task<IReadOnlyList<Invitation>> Invitations();

    /// <summary>Called by a room grain when the user declines its invitation.</summary>
    [Alias("DropInvitation")]
    Task DropInvitation(string room);

    /// <summary>Publishes a direct message on the user's stream.</summary>
    [Alias("DeliverDirect")]
    Task DeliverDirect(ChatMessage message);
}
