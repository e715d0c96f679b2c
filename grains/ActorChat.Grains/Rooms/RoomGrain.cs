using ActorChat.Contracts;
using ActorChat.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace ActorChat.Grains.Rooms;

/// <summary>
/// One room. Its log (<see cref="RoomLog"/>) numbers and stores messages; its membership (<see cref="RoomMembers"/>)
/// admits and counts members; <see cref="RoomEvents"/> publishes. Reentrant, so sends and joins that arrive while a
/// store write is in flight join the next one (group commit). Every await is written with interleaving in mind.
/// </summary>
[Reentrant]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The semaphore is only awaited, so it never allocates a wait handle; a grain has no dispose.")]
internal sealed partial class RoomGrain(
    IChatStore store,
    IOptions<RoomOptions> options,
    IOptions<ChatLimits> limits,
    IOptions<Hosting.ChatStreamOptions> streams,
    TimeProvider time,
    ILogger<RoomGrain> logger) : Grain, IRoomGrain
{
    private readonly RoomOptions _options = options.Value;
    private readonly ChatLimits _limits = limits.Value;
    private readonly SemaphoreSlim _changes = new(1, 1);
    private string _room = string.Empty;
    private bool _valid;
    private (string A, string B)? _direct;
    private RoomLog _log = null!;
    private RoomMembers _members = null!;
    private RoomEvents _events = null!;

    private bool EmitsPresence => _members.Count <= _options.PresenceMemberLimit;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _room = this.GetPrimaryKeyString();
        _valid = ChatIds.IsValidRoom(_room);
        if (ChatIds.TryParseDirect(_room, out var a, out var b))
        {
            _direct = (a, b);
        }

        _events = new RoomEvents(
            _room,
            () => streams.Value.Publish ? this.GetStreamProvider(ChatProviders.Streams).GetStream<RoomEvent>(ChatStreams.ForRoom(_room)) : null,
            GrainFactory,
            time,
            _options.WatchExpiry,
            logger);
        _members = new RoomMembers(_room, _direct is not null, store, _limits, _options, time);
        _log = new RoomLog(_room, store, _options, time)
        {
            Committed = PublishCommittedAsync,
            WriteFailed = ex =>
            {
                LogWriteFailed(logger, ex, _room);
                DeactivateOnIdle();
            },
        };
        if (_valid)
        {
            await _members.LoadAsync();
            await _log.LoadAsync();
        }
    }

    public Task<JoinResult> Join(string user) => JoinAs(user, createPrivate: false);

    public Task<JoinResult> JoinPrivate(string user) => JoinAs(user, createPrivate: true);

    public async Task Invite(string inviter, string invitee)
    {
        await EnsureMemberAsync(inviter);
        if (_direct is not null)
        {
            throw new ChatException(ChatErrorCode.Forbidden, "A direct conversation has exactly its two participants.");
        }

        // A public room admits anyone, so an invitation would only grow the state of made-up users.
        if (!_members.IsPrivate)
        {
            throw new ChatException(ChatErrorCode.BadRequest, "Public rooms need no invitation: anyone may join them by name.");
        }

        var outcome = await _members.InviteAsync(inviter, invitee);
        if (outcome == InviteOutcome.RoomFull)
        {
            throw new ChatException(ChatErrorCode.QuotaExceeded, $"A room holds at most {_limits.MaxInvitedPerRoom} pending invitations.");
        }

        if (outcome == InviteOutcome.Invited)
        {
            // Told again on a repeated invite: the first notice may have been dropped by the invitee's cap.
            await GrainFactory.User(invitee).Invited(new Invitation(_room, inviter, time.GetUtcNow()));
        }
    }

    public async Task Decline(string user)
    {
        EnsureValidRoom();
        await _members.DeclineAsync(user);
    }

    public async Task<bool> Leave(string user)
    {
        EnsureValidRoom();

        // The last owner hands the room over before going, unless nobody else is left to own it.
        if (_direct is null && _members.Count > 1 && (await _members.StateOfAsync(user))?.Role == RoomRole.Owner
            && await store.CountRoleAsync(_room, RoomRole.Owner) <= 1)
        {
            throw new ChatException(ChatErrorCode.Forbidden, "The last owner cannot leave: make another member an owner first.");
        }

        if (!await _members.LeaveAsync(user))
        {
            return false;
        }

        UpdateDirectory();
        if (EmitsPresence)
        {
            await _events.PublishAsync(new PresenceChanged(_room, user, PresenceStatus.Left));
        }

        return true;
    }

    public async Task<HistoryPage> History(string user, long? before, int limit)
    {
        await EnsureMemberAsync(user);
        limit = ClampPage(limit);

        // One more than asked for says whether there is more.
        var page = (await _log.HistoryAsync(before ?? long.MaxValue, limit + 1, user)).ToList();
        return MessagePages.Newest(page, limit, _limits.MaxHistoryPageBytes);
    }

    public async Task<HistoryPage> After(string user, long after, int limit)
    {
        await EnsureMemberAsync(user);
        return await ReadRange(after, limit);
    }

    public async Task<HistoryPage> ReadRange(long after, int limit)
    {
        var log = await ReadLog(after, limit);
        List<ChatMessage> messages = [.. log.Entries.OfType<MessagePosted>().Select(p => p.Message)];
        var page = MessagePages.Oldest(messages, log.HasMore, _limits.MaxHistoryPageBytes);

        // Where a reader continues: past every entry read, changes included (a window of nothing but reactions holds
        // no message to continue after), unless the page ended early at its byte cap.
        var next = page.Messages.Count < messages.Count ? page.Messages[^1].Seq
            : log.Entries.Count > 0 ? log.Entries[^1].Position ?? after
            : after;
        return page with { Next = next };
    }

    public async Task<LogPage> ReadLog(long after, int limit)
    {
        EnsureValidRoom();
        limit = ClampPage(limit);
        var durable = _log.DurableSeq;
        var low = Math.Max(Math.Min(after, durable) + 1, _log.FirstSeq);
        var high = Math.Min(durable, low + limit - 1);
        var entries = await _log.ReadLogAsync(low, high);
        return new LogPage(entries, HasMore: high < durable);
    }

    public async Task<MembersPage> Members(string user, string? after, int limit)
    {
        await EnsureVisibleAsync(user);
        return await MembersPageAsync(after, limit);
    }

    /// <summary>
    /// A page of members by id. Who is online is asked of each member's user grain, which activates it: in a room
    /// above the presence limit the page says nothing of it, so that paging through a room of 100,000 members does
    /// not wake 100,000 user grains (a page would cost more the bigger the room, and each would hold memory).
    /// </summary>
    private async Task<MembersPage> MembersPageAsync(string? after, int limit)
    {
        limit = Math.Clamp(limit, 1, _limits.MaxMembersPage);
        var page = (await _members.PageAsync(after, limit + 1)).ToList();
        var hasMore = page.Count > limit;
        if (hasMore)
        {
            page.RemoveAt(page.Count - 1);
        }

        if (!EmitsPresence)
        {
            return new MembersPage([.. page.Select(m => new MemberInfo(m.User, Online: false, m.Role))], hasMore, PresenceOff: true);
        }

        var online = await Task.WhenAll(page.Select(m => GrainFactory.User(m.User).IsOnline()));
        return new MembersPage([.. page.Select((m, i) => new MemberInfo(m.User, online[i], m.Role))], hasMore);
    }

    public async Task Typing(string user)
    {
        await EnsureCanSpeakAsync(user);
        if (EmitsPresence)
        {
            await _events.PublishAsync(new UserTyping(_room, user));
        }
    }

    public async Task<long> Read(string user, long seq)
    {
        await EnsureMemberAsync(user);
        var target = Math.Clamp(seq, 0, _log.DurableSeq);
        var pointer = await store.AdvanceReadAsync(_room, user, target) ?? throw new ChatException(ChatErrorCode.NotMember, "Join the room first.");
        if (pointer == target && target > 0 && EmitsPresence)
        {
            await _events.PublishAsync(new ReadMoved(_room, user, pointer));
        }

        return pointer;
    }

    public async Task<bool> IsMember(string user) => _valid && (await _members.AdmissionOfAsync(user)).Member;

    public Task<RoomInfo> Info() =>
        Task.FromResult(new RoomInfo(_room, _members.Exists, _direct is not null, _members.Count, _log.DurableSeq, _members.IsPrivate,
            _members.Topic, _members.SlowModeSeconds));

    public Task<long> Watch(IRoomEventObserver node, long feed)
    {
        // No await before the answer: the position and the watch are one step, so nothing committed falls between.
        _events.Watch(node, feed);
        return Task.FromResult(_log.DurableSeq);
    }

    public Task Unwatch(IRoomEventObserver node, long feed)
    {
        _events.Unwatch(node, feed);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _events.Moving();
        return Task.CompletedTask;
    }

    public async Task PresenceChanged(string user, bool online)
    {
        if (_valid && EmitsPresence && (await _members.AdmissionOfAsync(user)).Member)
        {
            await _events.PublishAsync(new PresenceChanged(_room, user, online ? PresenceStatus.Online : PresenceStatus.Offline));
        }
    }
}
