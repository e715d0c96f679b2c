using ActorChat.Contracts;

namespace ActorChat.Storage;

/// <summary>
/// Where rooms, messages, memberships, read pointers and invitations live, one record each: every write costs what
/// it changes, never what a room or a user already holds. Writes that arrive together share one commit (one
/// fsync), whichever grains they come from. Room grains own their room's records; user grains read theirs.
/// </summary>
public interface IChatStore
{
    /// <summary>The room's record, or null when nobody ever created it.</summary>
    Task<RoomRecord?> RoomAsync(string room);

    /// <summary>Makes <see cref="JoinCommand.User"/> a member, creating the room when needed, within every quota.</summary>
    Task<JoinOutcome> JoinAsync(JoinCommand command);

    /// <summary>Ends a membership; false when the user was not a member.</summary>
    Task<bool> LeaveAsync(string room, string user, bool direct);

    /// <summary>Whether the user is a member, and whether an invitation admits them.</summary>
    Task<Admission> AdmissionAsync(string room, string user);

    /// <summary>Members sorted by user id (ordinal), after <paramref name="after"/>.</summary>
    Task<IReadOnlyList<string>> MembersAsync(string room, string? after, int limit);

    /// <summary>Admits the invitee to a private room and keeps a notice of it for them.</summary>
    Task<InviteOutcome> InviteAsync(InviteCommand command);

    /// <summary>Drops the invitation (the admission and the notice); false when there was none.</summary>
    Task<bool> DeclineAsync(string room, string user);

    /// <summary>Invitations the user has been told of and not taken up, oldest first.</summary>
    Task<IReadOnlyList<Invitation>> InvitationsAsync(string user);

    /// <summary>Appends messages (ascending seq, one room) and moves each sender's read pointer to its own newest.</summary>
    Task AppendAsync(string room, IReadOnlyList<ChatMessage> messages);

    /// <summary>Messages with <paramref name="from"/> ≤ seq ≤ <paramref name="to"/>, ascending.</summary>
    Task<IReadOnlyList<ChatMessage>> ReadAsync(string room, long from, long to);

    /// <summary>The first and last seq the log holds (first is last + 1 when retention emptied it; 0/1 when empty).</summary>
    Task<LogBounds> BoundsAsync(string room);

    /// <summary>The client message ids of the newest messages, for de-duplication after an activation.</summary>
    Task<IReadOnlyList<ClientMessageId>> RecentClientIdsAsync(string room, long afterSeq);

    /// <summary>Moves a member's read pointer forward; the pointer after the call, or null when not a member.</summary>
    Task<long?> AdvanceReadAsync(string room, string user, long seq);

    /// <summary>The user's memberships with read pointers and each room's last seq, sorted by room id.</summary>
    Task<IReadOnlyList<MembershipRecord>> MembershipsAsync(string user);

    /// <summary>Listed rooms (public, not direct, with members) sorted by id, after <paramref name="after"/>.</summary>
    Task<IReadOnlyList<RoomListing>> ListedRoomsAsync(string? after, int limit);

    /// <summary>Every room's id, sorted, after <paramref name="after"/>: the retention sweep walks them.</summary>
    Task<IReadOnlyList<string>> RoomIdsAsync(string? after, int limit);

    /// <summary>The oldest messages' seq and time, for retention to decide what goes.</summary>
    Task<IReadOnlyList<(long Seq, DateTimeOffset Ts)>> OldestAsync(string room, int limit);

    /// <summary>Deletes messages with seq ≤ <paramref name="upTo"/>, keeping the room's last seq; returns how many went.</summary>
    Task<int> TrimAsync(string room, long upTo);
}
