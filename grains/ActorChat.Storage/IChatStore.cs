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

    /// <summary>Members sorted by user id (ordinal), after <paramref name="after"/>, with their roles.</summary>
    Task<IReadOnlyList<(string User, RoomRole Role)>> MembersAsync(string room, string? after, int limit);

    /// <summary>Admits the invitee to a private room and keeps a notice of it for them.</summary>
    Task<InviteOutcome> InviteAsync(InviteCommand command);

    /// <summary>Drops the invitation (the admission and the notice); false when there was none.</summary>
    Task<bool> DeclineAsync(string room, string user);

    /// <summary>Invitations the user has been told of and not taken up, oldest first.</summary>
    Task<IReadOnlyList<Invitation>> InvitationsAsync(string user);

    /// <summary>
    /// Appends log entries (ascending seq, one room), in one commit: messages (<see cref="MessagePosted"/>), which move
    /// each sender's read pointer to its own newest, and changes (<see cref="RoomChange"/>), each applied to what it
    /// changes (a message's text, a reaction, a member, the room's settings) as it is recorded.
    /// </summary>
    Task AppendAsync(string room, IReadOnlyList<RoomEvent> entries);

    /// <summary>Appends messages only.</summary>
    Task AppendAsync(string room, IReadOnlyList<ChatMessage> messages) => AppendAsync(room, [.. messages.Select(m => (RoomEvent)new MessagePosted(m))]);

    /// <summary>Messages (in their current state) with <paramref name="from"/> ≤ seq ≤ <paramref name="to"/>, ascending.</summary>
    Task<IReadOnlyList<ChatMessage>> ReadAsync(string room, long from, long to);

    /// <summary>The log from <paramref name="from"/> to <paramref name="to"/>: messages in their current state and changes, by seq.</summary>
    Task<IReadOnlyList<RoomEvent>> ReadLogAsync(string room, long from, long to);

    /// <summary>
    /// Up to <paramref name="limit"/> messages before seq <paramref name="before"/>, ascending, in their current state
    /// with their reactions (and whether <paramref name="viewer"/> gave each).
    /// </summary>
    Task<IReadOnlyList<ChatMessage>> HistoryAsync(string room, long before, int limit, string viewer);

    /// <summary>One message in its current state, or null.</summary>
    Task<ChatMessage?> MessageAsync(string room, long seq);

    /// <summary>A member's role, mute and latest message time; null when not a member.</summary>
    Task<MemberState?> MemberStateAsync(string room, string user);

    /// <summary>The emoji a message carries, with their counts, and whether <paramref name="user"/> gave each.</summary>
    Task<IReadOnlyList<ReactionCount>> ReactionsAsync(string room, long seq, string user);

    /// <summary>How many members of the room hold <paramref name="role"/> (admin or owner).</summary>
    Task<int> CountRoleAsync(string room, RoomRole role);

    /// <summary>Whether the user is banned from the room, and until when (null: for good).</summary>
    Task<Ban?> BanAsync(string room, string user);

    /// <summary>Tokens of <paramref name="user"/> issued before <paramref name="before"/> are no longer accepted.</summary>
    Task RevokeTokensAsync(string user, DateTimeOffset before);

    /// <summary>The time before which the user's tokens were revoked (<see cref="DateTimeOffset.MinValue"/>: none).</summary>
    Task<DateTimeOffset> TokensValidAfterAsync(string user);

    /// <summary>
    /// Erases a user: every message of theirs becomes an anonymous tombstone, their reactions, mentions, memberships,
    /// invitations, bans and their record go, and changes they made keep no name. Returns the rooms touched.
    /// </summary>
    Task<IReadOnlyList<string>> EraseUserAsync(string user);

    /// <summary>The first and last seq the log holds (first is last + 1 when retention emptied it; 0/1 when empty).</summary>
    Task<LogBounds> BoundsAsync(string room);

    /// <summary>The client message ids of the newest messages, for de-duplication after an activation.</summary>
    Task<IReadOnlyList<ClientMessageId>> RecentClientIdsAsync(string room, long afterSeq);

    /// <summary>Moves a member's read pointer forward; the pointer after the call, or null when not a member.</summary>
    Task<long?> AdvanceReadAsync(string room, string user, long seq);

    /// <summary>The user's memberships with read pointers, each room's last seq, unread messages and unread mentions, sorted by room id.</summary>
    Task<IReadOnlyList<MembershipRecord>> MembershipsAsync(string user);

    /// <summary>
    /// The rooms the user belongs to that have at most <paramref name="maxMembers"/> members, sorted by id: those a
    /// change of the user's presence concerns (bigger rooms announce none). Ids only, with no unread counting, since
    /// every first connect and last close asks.
    /// </summary>
    Task<IReadOnlyList<string>> PresenceRoomsAsync(string user, int maxMembers);

    /// <summary>Listed rooms (public, not direct, with members) sorted by id, after <paramref name="after"/>.</summary>
    Task<IReadOnlyList<RoomListing>> ListedRoomsAsync(string? after, int limit);

    /// <summary>Every room's id, sorted, after <paramref name="after"/>: the retention sweep walks them.</summary>
    Task<IReadOnlyList<string>> RoomIdsAsync(string? after, int limit);

    /// <summary>The oldest messages' seq and time, for retention to decide what goes.</summary>
    Task<IReadOnlyList<(long Seq, DateTimeOffset Ts)>> OldestAsync(string room, int limit);

    /// <summary>Deletes messages with seq ≤ <paramref name="upTo"/>, keeping the room's last seq; returns how many went.</summary>
    Task<int> TrimAsync(string room, long upTo);
}
