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
internal sealed partial class RoomGrain(
    IChatStore store,
    IOptions<RoomOptions> options,
    IOptions<ChatLimits> limits,
    TimeProvider time,
    ILogger<RoomGrain> logger) : Grain, IRoomGrain
{
    private readonly RoomOptions _options = options.Value;
    private readonly ChatLimits _limits = limits.Value;
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

        _events = new RoomEvents(_room, this.GetStreamProvider(ChatProviders.Streams), GrainFactory, logger);
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
            await GrainFactory.GetGrain<IUserGrain>(invitee).Invited(new Invitation(_room, inviter, time.GetUtcNow()));
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

    public async Task<SendResult> Send(string user, string text, string? clientMsgId)
    {
        EnsureValidRoom();
        ValidateText(text);
        if (_direct is { } pair)
        {
            EnsureParticipant(user);

            // The sender first: a conversation it opens counts against the sender's quotas, never the recipient's.
            await AddMemberAsync(user, createPrivate: false);
            await AddMemberAsync(user == pair.A ? pair.B : pair.A, createPrivate: false);
        }
        else
        {
            await EnsureMemberAsync(user);
        }

        // The sender's trace travels with the event, so the relays' delivery joins the same trace.
        return await _log.AppendAsync(user, text, clientMsgId, System.Diagnostics.Activity.Current?.Id);
    }

    public async Task<HistoryPage> History(string user, long? before, int limit)
    {
        await EnsureMemberAsync(user);
        limit = ClampPage(limit);
        var high = Math.Min((before ?? long.MaxValue) - 1, _log.DurableSeq);
        var low = Math.Max(1, high - limit + 1);
        var messages = await _log.ReadAsync(low, high);
        var first = _log.FirstSeq;
        return new HistoryPage(messages, HasMore: low > first && high >= 1);
    }

    public async Task<HistoryPage> After(string user, long after, int limit)
    {
        await EnsureMemberAsync(user);
        return await ReadRange(after, limit);
    }

    public async Task<HistoryPage> ReadRange(long after, int limit)
    {
        EnsureValidRoom();
        limit = ClampPage(limit);
        var durable = _log.DurableSeq;
        var low = Math.Max(Math.Min(after, durable) + 1, _log.FirstSeq);
        var high = Math.Min(durable, low + limit - 1);
        var messages = await _log.ReadAsync(low, high);
        return new HistoryPage(messages, HasMore: high < durable);
    }

    public async Task<MembersPage> Members(string user, string? after, int limit)
    {
        await EnsureVisibleAsync(user);
        limit = Math.Clamp(limit, 1, _limits.MaxMembersPage);
        var page = (await _members.PageAsync(after, limit + 1)).ToList();
        var hasMore = page.Count > limit;
        if (hasMore)
        {
            page.RemoveAt(page.Count - 1);
        }

        var online = await Task.WhenAll(page.Select(m => GrainFactory.GetGrain<IUserGrain>(m).IsOnline()));
        return new MembersPage([.. page.Select((m, i) => new MemberInfo(m, online[i]))], hasMore);
    }

    public async Task Typing(string user)
    {
        await EnsureMemberAsync(user);
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
        Task.FromResult(new RoomInfo(_room, _members.Exists, _direct is not null, _members.Count, _log.DurableSeq, _members.IsPrivate));

    public async Task PresenceChanged(string user, bool online)
    {
        if (_valid && EmitsPresence && (await _members.AdmissionOfAsync(user)).Member)
        {
            await _events.PublishAsync(new PresenceChanged(_room, user, online ? PresenceStatus.Online : PresenceStatus.Offline));
        }
    }
}
