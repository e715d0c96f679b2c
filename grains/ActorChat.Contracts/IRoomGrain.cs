using Orleans.Concurrency;

namespace ActorChat.Contracts;

/// <summary>
/// One chat room, keyed by room id (a public id or a canonical <c>dm:a:b</c> id). It numbers every message,
/// persists it, then hands it to the front-end nodes that watch the room (<see cref="IRoomEventObserver"/>).
/// </summary>
[Alias("ActorChat.IRoomGrain")]
public interface IRoomGrain : IGrainWithStringKey
{
    /// <summary>Adds the user as a member (no-op when already one).</summary>
    [Alias("Join")]
    Task<JoinResult> Join(string user);

    /// <summary>
    /// Like <see cref="Join"/>, but a room that does not exist yet is created private: only members and those they
    /// invite may join, read or send, and the room is not listed.
    /// </summary>
    [Alias("JoinPrivate")]
    Task<JoinResult> JoinPrivate(string user);

    /// <summary>A member lets <paramref name="invitee"/> join this private room and tells them so.</summary>
    [Alias("Invite")]
    Task Invite(string inviter, string invitee);

    /// <summary>The invitee turns an invitation down: a private room no longer admits them until invited again.</summary>
    [Alias("Decline")]
    Task Decline(string user);

    /// <summary>Ends the user's membership; false when the user was not a member.</summary>
    [Alias("Leave")]
    Task<bool> Leave(string user);

    /// <summary>Appends a message from a member. A repeated <paramref name="clientMsgId"/> from the same user returns the first result.</summary>
    [Alias("Send")]
    Task<SendResult> Send(string user, string text, string? clientMsgId);

    /// <summary>
    /// Posts a message with what it answers (<see cref="MessageDraft.ReplyTo"/>, a message of this room) and whom it
    /// names (members only; others are dropped). Refused while the sender is muted, and under slow mode too soon
    /// after the sender's last message (<see cref="ChatErrorCode.SlowMode"/>, with when the next is allowed).
    /// </summary>
    [Alias("Post")]
    Task<SendResult> Post(string user, MessageDraft draft);

    /// <summary>
    /// Posts one sender's drafts in the order given, each as <see cref="Post"/> would (at most
    /// <see cref="ChatLimits.MaxPostBatch"/>), numbered in that order and stored in shared commits: the sends a
    /// connection queued behind one of its own still in flight. Each draft has its own outcome, in the same order.
    /// </summary>
    [Alias("PostMany")]
    Task<IReadOnlyList<PostOutcome>> PostMany(string user, IReadOnlyList<MessageDraft> drafts);

    /// <summary>Replaces a message's text: its author only, within <c>ActorChat:Rooms:EditWindow</c>.</summary>
    [Alias("Edit")]
    Task<ChangeResult> Edit(string user, long seq, string text);

    /// <summary>Deletes a message, text and all: its author, or an owner or admin.</summary>
    [Alias("Delete")]
    Task<ChangeResult> Delete(string user, long seq);

    /// <summary>Adds or takes back the user's reaction with one emoji; the result's count is how many have it after.</summary>
    [Alias("React")]
    Task<ChangeResult> React(string user, long seq, string emoji, bool add);

    /// <summary>An owner or admin gives a member a role (only owners make or unmake owners; one owner always stays).</summary>
    [Alias("SetRole")]
    Task<ChangeResult> SetRole(string by, string user, RoomRole role);

    /// <summary>An owner or admin kicks, bans or mutes (until a time, or for good) a member of a lower role, or lifts a ban or mute.</summary>
    [Alias("Moderate")]
    Task<ChangeResult> Moderate(string by, string user, ModerationAction action, DateTimeOffset? until);

    /// <summary>An owner or admin sets the topic and slow mode (seconds between a member's messages; 0 is off); null keeps what is.</summary>
    [Alias("Configure")]
    Task<ChangeResult> Configure(string by, string? topic, int? slowModeSeconds);

    /// <summary>A backend (server API) posts as a named bot or the system; no membership needed, client ids de-duplicated per bot.</summary>
    [Alias("PostAs")]
    Task<SendResult> PostAs(SenderKind kind, string name, MessageDraft draft);

    /// <summary>A backend creates the room with its owner and members (private or public); <c>conflict</c> when it exists.</summary>
    [Alias("Open")]
    Task<RoomInfo> Open(string owner, bool isPrivate, IReadOnlyList<string> members);

    /// <summary>A backend adds a member, past privacy, bans and quotas; false when already one.</summary>
    [Alias("Admit")]
    Task<bool> Admit(string user);

    /// <summary>A backend removes a member (recorded as a kick by <paramref name="by"/>); false when not one.</summary>
    [Alias("Remove")]
    Task<bool> Remove(string user, string by);

    /// <summary>A backend reads the room's history (current state), without being a member.</summary>
    [Alias("Browse")]
    Task<HistoryPage> Browse(long? before, int limit);

    /// <summary>A backend reads the room's members, without being one.</summary>
    [Alias("Roster")]
    Task<MembersPage> Roster(string? after, int limit);

    /// <summary>Called after a user was erased: drops what the room holds in memory of them.</summary>
    [Alias("Forget")]
    Task Forget(string user);

    /// <summary>Up to <paramref name="limit"/> messages older than <paramref name="before"/> (newest page when null), ascending.</summary>
    [Alias("History")]
    Task<HistoryPage> History(string user, long? before, int limit);

    /// <summary>Up to <paramref name="limit"/> messages newer than <paramref name="after"/>, ascending; members only.</summary>
    [Alias("After")]
    Task<HistoryPage> After(string user, long after, int limit);

    /// <summary>Messages newer than <paramref name="after"/>, without the changes between them; no membership check.</summary>
    [Alias("ReadRange")]
    Task<HistoryPage> ReadRange(long after, int limit);

    /// <summary>The log after <paramref name="after"/> (messages and changes) for a front end's relay (replay and gap repair); no membership check.</summary>
    [Alias("ReadLog")]
    Task<LogPage> ReadLog(long after, int limit);

    [Alias("Members")]
    Task<MembersPage> Members(string user, string? after, int limit);

    [Alias("Typing")]
    Task Typing(string user);

    /// <summary>Moves the user's read pointer forward (clamped to the last sequence); returns the pointer after the call.</summary>
    [Alias("Read")]
    Task<long> Read(string user, long seq);

    [Alias("IsMember")]
    Task<bool> IsMember(string user);

    [Alias("Info")]
    Task<RoomInfo> Info();

    /// <summary>
    /// Tells <paramref name="node"/> every event of this room from now on, until <see cref="Unwatch"/>, on behalf of
    /// <paramref name="feed"/> (the node's feed of the room, replaced when its last local follower leaves and a new one
    /// comes; a node numbers its feeds upward, and a watch by an older feed than the one watching changes nothing). The watch lives only in this activation: a node watches again periodically (which also keeps the room
    /// from idle collection), and a watch not renewed within <c>ActorChat:Rooms:WatchExpiry</c> lapses, so a node that
    /// died is not told forever. Returns the room's last log position as of the watch: everything after it reaches the node.
    /// </summary>
    [Alias("Watch")]
    Task<long> Watch(IRoomEventObserver node, long feed);

    /// <summary>Stops telling <paramref name="node"/>, unless a newer feed of that node watched since <paramref name="feed"/> did.</summary>
    [Alias("Unwatch")]
    Task Unwatch(IRoomEventObserver node, long feed);

    /// <summary>Called by a member's user grain when the member's first connection opens or last one closes.</summary>
    [Alias("PresenceChanged")]
    [OneWay]
    Task PresenceChanged(string user, bool online);
}
