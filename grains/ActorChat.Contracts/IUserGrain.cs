namespace ActorChat.Contracts;

/// <summary>
/// One user, keyed by user id: room memberships with a read pointer each, and the user's live connections.
/// Tells user-level events (direct messages, invitations, ended sessions) to the front-end nodes attached to it
/// (<see cref="IUserEventObserver"/>); ended sessions also go out on <see cref="ChatStreams.ForUser"/>, for front
/// ends of the release before, which listened there.
/// </summary>
[Alias("ActorChat.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Registers a live connection; the first one makes the user online in every room.</summary>
    [Alias("Connect")]
    Task Connect(string connectionId);

    /// <summary>
    /// Like <see cref="Connect(string)"/>, for a connection opened with a token issued at <paramref name="issuedAt"/>: false (and
    /// nothing registered) when the user's tokens issued before some time were revoked and this one is among them.
    /// </summary>
    [Alias("ConnectWithToken")]
    Task<bool> Connect(string connectionId, DateTimeOffset? issuedAt);

    /// <summary>Whether a token of this user issued at <paramref name="issuedAt"/> is still accepted.</summary>
    [Alias("Accepts")]
    Task<bool> Accepts(DateTimeOffset? issuedAt);

    /// <summary>
    /// Ends every connection of the user on every front end (they hear <see cref="SessionsEnded"/>); with
    /// <paramref name="revokeTokens"/>, tokens issued before now are refused from then on.
    /// </summary>
    [Alias("EndSessions")]
    Task EndSessions(bool revokeTokens);

    /// <summary>Removes a live connection; the last one makes the user offline.</summary>
    [Alias("Disconnect")]
    Task Disconnect(string connectionId);

    /// <summary>
    /// Tells <paramref name="node"/> everything addressed to this user from now on, until <see cref="Detach"/>. A node
    /// attaches for all its connections of the user at once, on behalf of <paramref name="feed"/> (its feed of the
    /// user, which is replaced when the user's connections there all close and a new one opens), and attaches again
    /// periodically, since the attachment lives only in this activation (and the calls keep it from idle collection).
    /// Attaching twice is attaching once. Returns the time before which the user's tokens are refused
    /// (<see cref="DateTimeOffset.MinValue"/> when none are), so a node that was not attached when the user's sessions
    /// were ended with a revocation closes what the revocation covers.
    /// </summary>
    [Alias("AttachFeed")]
    Task<DateTimeOffset> Attach(IUserEventObserver node, Guid feed);

    /// <summary>
    /// Stops telling <paramref name="node"/>, unless a newer feed of that node attached since <paramref name="feed"/>
    /// did: a late detach never undoes the attachment of the feed that replaced it.
    /// </summary>
    [Alias("DetachFeed")]
    Task Detach(IUserEventObserver node, Guid feed);

    [Alias("IsOnline")]
    Task<bool> IsOnline();

    /// <summary>The user's memberships with read pointers, each room's last seq, unread messages and unread mentions, sorted by room id.</summary>
    [Alias("Rooms")]
    Task<IReadOnlyList<UserRoom>> Rooms();

    /// <summary>Called by a room grain when a member invited the user (the room stored it): told to the user's connections.</summary>
    [Alias("Invited")]
    Task Invited(Invitation invitation);

    /// <summary>Invitations not yet taken up or declined, oldest first.</summary>
    [Alias("Invitations")]
    Task<IReadOnlyList<Invitation>> Invitations();

    /// <summary>
    /// Erases the user (an operator's request): every message of theirs becomes an anonymous tombstone; their
    /// reactions, memberships, invitations and record go. Returns the rooms that held anything of them.
    /// </summary>
    [Alias("Erase")]
    Task<IReadOnlyList<string>> Erase();

    /// <summary>Tells a direct message to the nodes the user is connected on.</summary>
    [Alias("DeliverDirect")]
    Task DeliverDirect(ChatMessage message);
}
