using ActorChat.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Streams;

namespace ActorChat.Grains;

/// <summary>
/// Reentrant so that sends arriving while a write is in flight join the next write (group commit): one storage
/// write, however many messages it carries, instead of one write per message. Every await below is written
/// with interleaving in mind.
/// </summary>
[Reentrant]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The semaphore never allocates a wait handle; a grain has no dispose.")]
internal sealed partial class RoomGrain(
    [PersistentState("members", ChatProviders.Storage)] IPersistentState<RoomMembership> membership,
    [PersistentState("log", ChatProviders.Storage)] IPersistentState<RoomLog> log,
    IOptions<RoomOptions> options,
    IOptions<ChatLimits> limits,
    TimeProvider time,
    ILogger<RoomGrain> logger) : Grain, IRoomGrain
{
    private readonly RoomOptions _options = options.Value;
    private readonly ChatLimits _limits = limits.Value;
    private readonly Dictionary<(string User, string ClientMsgId), DedupEntry> _dedup = [];
    private string _room = string.Empty;
    private bool _valid;
    private (string A, string B)? _direct;
    private readonly Queue<PendingSend> _pending = new();
    private readonly Dictionary<long, TaskCompletionSource> _pendingBySeq = [];
    private readonly SemaphoreSlim _membershipWrites = new(1, 1);
    private IAsyncStream<RoomEvent> _stream = null!;
    private Task? _commitLoop;
    private bool _committing;
    private Task? _sealing;

    /// <summary>Highest seq that is in storage. Reads never go past it, so nobody sees a message before it is durable.</summary>
    private long _durableSeq;

    private SortedSet<string> MemberSet => membership.State.Members;

    private bool EmitsPresence => MemberSet.Count <= _options.PresenceMemberLimit;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _room = this.GetPrimaryKeyString();
        _valid = ChatIds.IsValidRoom(_room);
        if (ChatIds.TryParseDirect(_room, out var a, out var b))
        {
            _direct = (a, b);
        }

        foreach (var entry in log.State.Recent)
        {
            _dedup[(entry.User, entry.ClientMsgId)] = entry;
        }

        _stream = this.GetStreamProvider(ChatProviders.Streams).GetStream<RoomEvent>(ChatStreams.ForRoom(_room));
        _durableSeq = log.State.LastSeq;
        return Task.CompletedTask;
    }



    public Task<JoinResult> Join(string user) => JoinAs(user, createPrivate: false);

    public Task<JoinResult> JoinPrivate(string user) => JoinAs(user, createPrivate: true);

    public async Task Invite(string inviter, string invitee)
    {
        EnsureValidRoom();
        EnsureMember(inviter);
        if (_direct is not null)
        {
            throw new ChatException(ChatErrorCode.Forbidden, "A direct conversation has exactly its two participants.");
        }

        // A public room admits anyone, so an invitation would only grow the state of made-up users.
        if (!membership.State.IsPrivate)
        {
            throw new ChatException(ChatErrorCode.BadRequest, "Public rooms need no invitation: anyone may join them by name.");
        }

        if (MemberSet.Contains(invitee))
        {
            return;
        }

        var invited = membership.State.Invited;
        if (!invited.Contains(invitee) && invited.Count >= _limits.MaxInvitedPerRoom)
        {
            throw new ChatException(ChatErrorCode.QuotaExceeded, $"A room holds at most {_limits.MaxInvitedPerRoom} pending invitations.");
        }

        if (invited.Add(invitee))
        {
            await WriteMembership(() => invited.Remove(invitee));
        }

        // Told again on a repeated invite: the first notice may have been dropped by the invitee's cap.
        await GrainFactory.GetGrain<IUserGrain>(invitee).Invited(new Invitation(_room, inviter, time.GetUtcNow()));
    }

    public async Task Decline(string user)
    {
        EnsureValidRoom();
        if (membership.State.Invited.Remove(user))
        {
            await WriteMembership(() => membership.State.Invited.Add(user));
        }

        await GrainFactory.GetGrain<IUserGrain>(user).DropInvitation(_room);
    }

    private async Task<JoinResult> JoinAs(string user, bool createPrivate)
    {
        EnsureValidRoom();
        EnsureParticipant(user);
        var state = membership.State;
        if (state.IsPrivate && !MemberSet.Contains(user) && !state.Invited.Contains(user))
        {
            // Exactly what a read of a missing room answers: outsiders cannot tell a private room from none.
            throw NoSuchRoom();
        }

        if (createPrivate && _direct is null && !state.IsPrivate)
        {
            if (state.Created)
            {
                // Made public by someone else: an ok here would let the victim believe the room is theirs alone.
                throw new ChatException(ChatErrorCode.Conflict, "A public room of this name exists; a private room needs a name of its own.");
            }

            state.IsPrivate = true;
        }

        // Taken up by joining: written with the membership.
        var wasInvited = state.Invited.Remove(user);
        try
        {
            await AddMember(user);
        }
        catch when (wasInvited)
        {
            state.Invited.Add(user);
            throw;
        }

        return new JoinResult(_durableSeq, MemberSet.Count, log.State.FirstAvailableSeq, state.IsPrivate);
    }

    public async Task<bool> Leave(string user)
    {
        EnsureValidRoom();
        if (!MemberSet.Remove(user))
        {
            return false;
        }

        await WriteMembership(() => MemberSet.Add(user));
        await GrainFactory.GetGrain<IUserGrain>(user).RemoveRoom(_room);
        UpdateDirectory();
        if (EmitsPresence)
        {
            await Publish(new PresenceChanged(_room, user, PresenceStatus.Left));
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
            await AddMember(user);
            await AddMember(user == pair.A ? pair.B : pair.A);
        }
        else
        {
            EnsureMember(user);
        }

        // A chunk being sealed must not grow: wait until the open chunk has room.
        while (log.State.ChunkSize > 0 && log.State.Open.Count >= log.State.ChunkSize)
        {
            await (_sealing ??= SealOpenChunkAsync());
        }

        // From here to the append there is no await, so a concurrent send with the same id sees this one.
        if (clientMsgId is not null && _dedup.TryGetValue((user, clientMsgId), out var seen))
        {
            await WhenDurable(seen.Seq);
            return new SendResult(seen.Seq, seen.Ts, Duplicate: true);
        }

        var state = log.State;
        if (state.ChunkSize == 0)
        {
            state.ChunkSize = _options.ChunkSize;
        }

        var message = new ChatMessage(_room, state.LastSeq + 1, user, text, time.GetUtcNow(), clientMsgId);
        state.Open.Add(message);
        state.LastSeq = message.Seq;
        if (clientMsgId is not null && _options.DedupWindow > 0)
        {
            var entry = new DedupEntry(user, clientMsgId, message.Seq, message.Ts);
            state.Recent.Add(entry);
            _dedup[(user, clientMsgId)] = entry;
            if (state.Recent.Count > _options.DedupWindow)
            {
                var evicted = state.Recent[0];
                state.Recent.RemoveAt(0);
                _dedup.Remove((evicted.User, evicted.ClientMsgId));
            }
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The sender's trace travels with the event, so the relays' delivery joins the same trace.
        _pending.Enqueue(new PendingSend(message, done, System.Diagnostics.Activity.Current?.Id));
        _pendingBySeq[message.Seq] = done;
        if (!_committing)
        {
            _committing = true;
            _commitLoop = CommitLoopAsync();
        }

        await done.Task;
        GrainFactory.GetGrain<IUserGrain>(user).MarkSent(_room, message.Seq).Ignore();
        return new SendResult(message.Seq, message.Ts, Duplicate: false);
    }

    /// <summary>
    /// Writes the log once for everything appended since the last write, then publishes those messages in seq
    /// order, then answers their senders: persisted, published, acknowledged, in that order.
    /// </summary>
    private async Task CommitLoopAsync()
    {
        try
        {
            while (_pending.Count > 0)
            {
                var batch = _pending.ToList();
                _pending.Clear();
                try
                {
                    await log.WriteStateAsync();
                }
                catch (Exception ex)
                {
                    // The store may or may not hold the batch; reload the truth on the next activation. A sender told
                    // `internal` retries with its clientMsgId and gets the stored seq if the write did land.
                    LogWriteFailed(logger, ex, _room);
                    DeactivateOnIdle();
                    foreach (var failed in batch)
                    {
                        _pendingBySeq.Remove(failed.Message.Seq);
                        failed.Done.TrySetException(new ChatException(ChatErrorCode.Internal, "The message could not be stored; retry with the same clientMsgId."));
                    }

                    continue;
                }

                _durableSeq = Math.Max(_durableSeq, batch[^1].Message.Seq);
                await Publish(batch.Select(b => (RoomEvent)new MessagePosted(b.Message, b.TraceParent)).ToList());
                if (_direct is { } participants)
                {
                    foreach (var sent in batch)
                    {
                        await DeliverDirect(participants.A, sent.Message);
                        await DeliverDirect(participants.B, sent.Message);
                    }
                }

                foreach (var committed in batch)
                {
                    _pendingBySeq.Remove(committed.Message.Seq);
                    committed.Done.TrySetResult();
                }
            }
        }
        finally
        {
            _committing = false;
        }
    }

    private async Task WhenDurable(long seq)
    {
        if (seq > _durableSeq && _pendingBySeq.TryGetValue(seq, out var pending))
        {
            await pending.Task;
        }
    }

    public async Task<HistoryPage> History(string user, long? before, int limit)
    {
        EnsureReadable(user);
        limit = ClampPage(limit);
        var high = Math.Min((before ?? long.MaxValue) - 1, _durableSeq);
        var low = Math.Max(1, high - limit + 1);
        var messages = await ReadInclusive(low, high);
        return new HistoryPage(messages, HasMore: low > log.State.FirstAvailableSeq && high >= 1);
    }

    public Task<HistoryPage> After(string user, long after, int limit)
    {
        EnsureReadable(user);
        return ReadRange(after, limit);
    }

    public async Task<HistoryPage> ReadRange(long after, int limit)
    {
        EnsureValidRoom();
        limit = ClampPage(limit);
        var low = Math.Max(Math.Min(after, _durableSeq) + 1, log.State.FirstAvailableSeq);
        var high = Math.Min(_durableSeq, low + limit - 1);
        var messages = await ReadInclusive(low, high);
        return new HistoryPage(messages, HasMore: high < _durableSeq);
    }

    public async Task<MembersPage> Members(string user, string? after, int limit)
    {
        EnsureValidRoom();
        EnsureVisible(user);

        limit = Math.Clamp(limit, 1, _limits.MaxMembersPage);
        IEnumerable<string> view = after switch
        {
            null => MemberSet,
            _ when MemberSet.Max is { } max && string.CompareOrdinal(after, max) < 0 => MemberSet.GetViewBetween(after, max),
            _ => [],
        };
        var page = view.Where(m => after is null || string.CompareOrdinal(m, after) > 0).Take(limit + 1).ToList();
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
        EnsureValidRoom();
        EnsureMember(user);
        if (EmitsPresence)
        {
            await Publish(new UserTyping(_room, user));
        }
    }

    public async Task<long> Read(string user, long seq)
    {
        EnsureValidRoom();
        EnsureMember(user);
        var target = Math.Clamp(seq, 0, _durableSeq);
        var pointer = await GrainFactory.GetGrain<IUserGrain>(user).AdvanceRead(_room, target);
        if (pointer == target && target > 0 && EmitsPresence)
        {
            await Publish(new ReadMoved(_room, user, pointer));
        }

        return pointer;
    }

    public Task<bool> IsMember(string user) => Task.FromResult(MemberSet.Contains(user));

    public Task<RoomInfo> Info() =>
        Task.FromResult(new RoomInfo(_room, membership.State.Created, _direct is not null, MemberSet.Count, _durableSeq, membership.State.IsPrivate));

    public async Task PresenceChanged(string user, bool online)
    {
        if (MemberSet.Contains(user) && EmitsPresence)
        {
            await Publish(new PresenceChanged(_room, user, online ? PresenceStatus.Online : PresenceStatus.Offline));
        }
    }

    private async Task AddMember(string user)
    {
        if (MemberSet.Contains(user))
        {
            return;
        }

        // Claimed before the first await, so a join that interleaves does not count a creation too.
        var state = membership.State;
        var creates = !state.Created;
        state.Created = true;
        var userGrain = GrainFactory.GetGrain<IUserGrain>(user);
        try
        {
            // The user's quotas first: a refused join must leave nothing behind in this room.
            await userGrain.AddRoom(_room, creates);
        }
        catch
        {
            if (creates && MemberSet.Count == 0)
            {
                state.Created = false;
                state.IsPrivate = false;
            }

            throw;
        }

        if (!MemberSet.Add(user))
        {
            return;
        }

        try
        {
            await WriteMembership(() =>
            {
                MemberSet.Remove(user);
                if (creates && MemberSet.Count == 0)
                {
                    state.Created = false;
                }
            });
        }
        catch
        {
            userGrain.RemoveRoom(_room).Ignore();
            throw;
        }

        UpdateDirectory();
        if (EmitsPresence)
        {
            await Publish(new PresenceChanged(_room, user, PresenceStatus.Joined));
        }
    }

    // One membership write at a time: interleaved joins would otherwise race each other's ETags.
    private async Task WriteMembership(Action undo)
    {
        await _membershipWrites.WaitAsync();
        try
        {
            await membership.WriteStateAsync();
        }
        catch (Exception ex)
        {
            undo();
            LogWriteFailed(logger, ex, _room);
            DeactivateOnIdle();
            throw new ChatException(ChatErrorCode.Internal, "The membership change could not be stored.");
        }
        finally
        {
            _membershipWrites.Release();
        }
    }

    private void UpdateDirectory()
    {
        // Private and direct rooms are never listed.
        if (_direct is null && !membership.State.IsPrivate)
        {
            GrainFactory.GetGrain<IRoomDirectoryGrain>(IRoomDirectoryGrain.Key).Update(_room, MemberSet.Count).Ignore();
        }
    }

    private async Task SealOpenChunkAsync()
    {
        try
        {
            // Seal only durable messages: let the write in flight finish (no send can append to a full chunk).
            while (_committing)
            {
                await _commitLoop!;
            }

            var state = log.State;
            var full = state.Open;
            var index = (full[0].Seq - 1) / state.ChunkSize;
            await GrainFactory.GetGrain<IRoomChunkGrain>(RoomChunkGrain.KeyOf(_room, index)).Store(full);

            // A new list, not a cleared one: a history read that holds the old list still sees its messages.
            // Only memory changes here; the next write of the log persists the empty open chunk.
            state.SealedChunkEnds.Add(full[^1].Ts);
            state.Open = [];
            await ApplyRetention();
        }
        finally
        {
            _sealing = null;
        }
    }

    private async Task ApplyRetention()
    {
        var state = log.State;
        var cutoff = _options.RetainFor > TimeSpan.Zero ? time.GetUtcNow() - _options.RetainFor : DateTimeOffset.MinValue;
        var drop = 0;
        while (drop < state.SealedChunkEnds.Count)
        {
            var lastSeqOfChunk = (state.FirstChunk + drop + 1) * state.ChunkSize;
            var tooMany = _options.RetainMessages > 0 && state.LastSeq - lastSeqOfChunk >= _options.RetainMessages;
            var tooOld = state.SealedChunkEnds[drop] < cutoff;
            if (!tooMany && !tooOld)
            {
                break;
            }

            drop++;
        }

        for (var i = 0; i < drop; i++)
        {
            await GrainFactory.GetGrain<IRoomChunkGrain>(RoomChunkGrain.KeyOf(_room, state.FirstChunk)).Drop();
            state.FirstChunk++;
            state.SealedChunkEnds.RemoveAt(0);
        }
    }

    private async Task<IReadOnlyList<ChatMessage>> ReadInclusive(long low, long high)
    {
        var result = new List<ChatMessage>((int)Math.Max(0, Math.Min(high - low + 1, _limits.MaxHistoryPage)));
        if (low > high)
        {
            return result;
        }

        var state = log.State;
        low = Math.Max(low, state.FirstAvailableSeq);
        if (low > high)
        {
            return result;
        }

        var open = state.Open;
        var firstOpen = open.Count > 0 ? open[0].Seq : state.LastSeq + 1;
        if (low < firstOpen)
        {
            var sealedHigh = Math.Min(high, firstOpen - 1);
            for (var index = (low - 1) / state.ChunkSize; index <= (sealedHigh - 1) / state.ChunkSize; index++)
            {
                var chunk = await GrainFactory.GetGrain<IRoomChunkGrain>(RoomChunkGrain.KeyOf(_room, index)).Load();
                result.AddRange(chunk.Where(m => m.Seq >= low && m.Seq <= sealedHigh));
            }
        }

        foreach (var message in open)
        {
            if (message.Seq >= low && message.Seq <= high)
            {
                result.Add(message);
            }
        }

        return result;
    }

    private async Task Publish(RoomEvent roomEvent)
    {
        try
        {
            await _stream.OnNextAsync(roomEvent);
        }
        catch (Exception ex)
        {
            LogPublishFailed(logger, ex, _room);
        }
    }

    private async Task Publish(List<RoomEvent> events)
    {
        if (events.Count == 1)
        {
            await Publish(events[0]);
            return;
        }

        try
        {
            await _stream.OnNextBatchAsync(events);
        }
        catch (Exception ex)
        {
            LogPublishFailed(logger, ex, _room);
        }
    }

    private async Task DeliverDirect(string user, ChatMessage message)
    {
        try
        {
            await GrainFactory.GetGrain<IUserGrain>(user).DeliverDirect(message);
        }
        catch (Exception ex)
        {
            LogPublishFailed(logger, ex, _room);
        }
    }

    private int ClampPage(int limit) => Math.Clamp(limit, 1, _limits.MaxHistoryPage);

    private void ValidateText(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ChatException(ChatErrorCode.BadRequest, "text must not be blank.");
        }

        if (text.Length > _limits.MaxTextLength)
        {
            throw new ChatException(ChatErrorCode.TooLong, $"text is longer than {_limits.MaxTextLength} characters.");
        }
    }

    private void EnsureValidRoom()
    {
        if (!_valid)
        {
            throw new ChatException(ChatErrorCode.BadRoom, "Invalid room id.");
        }
    }

    private void EnsureParticipant(string user)
    {
        if (_direct is { } pair && user != pair.A && user != pair.B)
        {
            throw new ChatException(ChatErrorCode.Forbidden, "Only its two participants can use a direct conversation.");
        }
    }

    /// <summary>The room exists for this user: it was created, and if private, the user is in it or invited.</summary>
    private void EnsureVisible(string user)
    {
        EnsureParticipant(user);
        var state = membership.State;
        if (!state.Created || (state.IsPrivate && !MemberSet.Contains(user) && !state.Invited.Contains(user)))
        {
            throw NoSuchRoom();
        }
    }

    private void EnsureMember(string user)
    {
        EnsureVisible(user);
        if (!MemberSet.Contains(user))
        {
            throw new ChatException(ChatErrorCode.NotMember, "Join the room first.");
        }
    }

    private static ChatException NoSuchRoom() => new(ChatErrorCode.NotFound, "No such room.");

    private void EnsureReadable(string user)
    {
        EnsureValidRoom();
        EnsureMember(user);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing state of room {Room} failed")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string room);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing an event of room {Room} failed; relays repair gaps from storage")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string room);
}
