using ActorChat.Contracts;
using ActorChat.Storage;

namespace ActorChat.Grains.Rooms;

/// <summary>
/// Edits, deletions, reactions, moderation and settings: each checked against the room's durable state and then
/// recorded in the log, one at a time (so the state it was checked against is the state it applies to).
/// </summary>
internal sealed partial class RoomGrain
{
    public async Task<ChangeResult> Edit(string user, long seq, string text)
    {
        await EnsureCanSpeakAsync(user);
        ValidateText(text);
        return await ChangeAsync(async () =>
        {
            var message = await MessageAsync(seq);
            if (message.From != user)
            {
                throw new ChatException(ChatErrorCode.Forbidden, "Only its author may edit a message.");
            }

            if (time.GetUtcNow() - message.Ts > _options.EditWindow)
            {
                throw new ChatException(ChatErrorCode.Forbidden, $"A message may be edited for {_options.EditWindow} after it was sent.");
            }

            var edited = (MessageEdited)await _log.ChangeAsync((at, now) => new MessageEdited(_room, at, seq, text, now, user));
            _log.Update(message with { Text = text, EditedAt = edited.EditedAt });
            return new ChangeResult(edited.Seq, edited.EditedAt);
        });
    }

    public async Task<ChangeResult> Delete(string user, long seq)
    {
        await EnsureMemberAsync(user);
        return await ChangeAsync(async () =>
        {
            var message = await MessageAsync(seq);
            if (message.From != user && await RoleOfAsync(user) < RoomRole.Admin)
            {
                throw new ChatException(ChatErrorCode.Forbidden, "Only its author, or an owner or admin of the room, may delete a message.");
            }

            var deleted = (MessageDeleted)await _log.ChangeAsync((at, now) => new MessageDeleted(_room, at, seq, user, now));
            _log.Update(message with { Text = string.Empty, Deleted = true, EditedAt = null, Mentions = null });
            return new ChangeResult(deleted.Seq, deleted.At);
        });
    }

    public async Task<ChangeResult> React(string user, long seq, string emoji, bool add)
    {
        await EnsureCanSpeakAsync(user);
        if (!Emoji.IsValid(emoji))
        {
            throw new ChatException(ChatErrorCode.BadRequest, "emoji must be one emoji.");
        }

        return await ChangeAsync(async () =>
        {
            await MessageAsync(seq);
            var reactions = await store.ReactionsAsync(_room, seq, user);
            var current = reactions.FirstOrDefault(r => r.Emoji == emoji);
            if ((current?.Me ?? false) == add)
            {
                // One reaction per user per emoji: nothing to change, nothing recorded.
                return new ChangeResult(0, time.GetUtcNow(), current?.Count ?? 0);
            }

            if (add && current is null && reactions.Count >= _limits.MaxReactionKinds)
            {
                throw new ChatException(ChatErrorCode.QuotaExceeded, $"A message carries at most {_limits.MaxReactionKinds} kinds of reaction.");
            }

            var count = (current?.Count ?? 0) + (add ? 1 : -1);
            var change = (ReactionChanged)await _log.ChangeAsync((at, now) => new ReactionChanged(_room, at, seq, emoji, user, add, count, now));
            return new ChangeResult(change.Seq, change.At, count);
        });
    }

    public async Task<ChangeResult> SetRole(string by, string user, RoomRole role)
    {
        var mine = await EnsureModeratorAsync(by);
        return await ChangeAsync(async () =>
        {
            var theirs = (await _members.StateOfAsync(user))?.Role ?? throw new ChatException(ChatErrorCode.NotMember, "Only a member can be given a role.");
            if (mine < RoomRole.Owner && (theirs == RoomRole.Owner || role == RoomRole.Owner))
            {
                throw new ChatException(ChatErrorCode.Forbidden, "Only an owner may make or unmake an owner.");
            }

            if (theirs == RoomRole.Owner && role < RoomRole.Owner && await store.CountRoleAsync(_room, RoomRole.Owner) <= 1)
            {
                throw new ChatException(ChatErrorCode.Forbidden, "A room keeps at least one owner: make another owner first.");
            }

            var change = await _log.ChangeAsync((at, now) => new MemberModerated(_room, at, user, ModerationAction.Role, by, now, Role: role));
            _members.Changed(user);
            return new ChangeResult(change.Seq, ((MemberModerated)change).At);
        });
    }

    public async Task<ChangeResult> Moderate(string by, string user, ModerationAction action, DateTimeOffset? until)
    {
        if (action == ModerationAction.Role)
        {
            throw new ChatException(ChatErrorCode.BadRequest, "A role is given with SetRole.");
        }

        var mine = await EnsureModeratorAsync(by);
        if (until is { } end && end <= time.GetUtcNow())
        {
            throw new ChatException(ChatErrorCode.BadRequest, "until must be in the future.");
        }

        return await ChangeAsync(async () =>
        {
            var state = await _members.StateOfAsync(user);
            if (state is null && action is ModerationAction.Kick or ModerationAction.Mute or ModerationAction.Unmute)
            {
                throw new ChatException(ChatErrorCode.NotMember, "Not a member of this room.");
            }

            // Only over those below oneself: an admin over members, an owner over admins and members; never an owner.
            if (state is not null && state.Role >= mine)
            {
                throw new ChatException(ChatErrorCode.Forbidden, "Moderators act only on members of a lower role; nobody acts on an owner.");
            }

            var change = (MemberModerated)await _log.ChangeAsync((at, now) => new MemberModerated(_room, at, user, action, by, now, Until: until));
            if (change.Removes && state is not null)
            {
                _members.Removed(user);
                UpdateDirectory();
            }
            else
            {
                _members.Changed(user);
            }

            return new ChangeResult(change.Seq, change.At);
        });
    }

    public async Task<ChangeResult> Configure(string by, string? topic, int? slowModeSeconds)
    {
        await EnsureModeratorAsync(by);
        if (topic?.Length > _limits.MaxTopicLength)
        {
            throw new ChatException(ChatErrorCode.TooLong, $"topic is longer than {_limits.MaxTopicLength} characters.");
        }

        if (slowModeSeconds is < 0 or > 86_400)
        {
            throw new ChatException(ChatErrorCode.BadRequest, "slowMode must be between 0 and 86400 seconds.");
        }

        return await ChangeAsync(async () =>
        {
            var (newTopic, newSlow) = (topic ?? _members.Topic, slowModeSeconds ?? _members.SlowModeSeconds);
            var change = (SettingsChanged)await _log.ChangeAsync((at, now) => new SettingsChanged(_room, at, newTopic, newSlow, by, now));
            _members.Configured(newTopic, newSlow);
            return new ChangeResult(change.Seq, change.At);
        });
    }

    public async Task Forget(string user)
    {
        // What memory holds of the user goes at once; the next activation reads the room as the store has it now.
        await _log.FlushAsync();
        foreach (var message in _log.HeldMessagesOf(user))
        {
            _log.Update(message with { From = string.Empty, Text = string.Empty, Deleted = true, EditedAt = null, Mentions = null, ClientMsgId = null });
        }

        await _members.ForgetAsync(user);
        DeactivateOnIdle();
    }

    /// <summary>Runs one change at a time, after every entry before it is stored, so it is checked against the truth.</summary>
    private async Task<ChangeResult> ChangeAsync(Func<Task<ChangeResult>> change)
    {
        await _changes.WaitAsync();
        try
        {
            await _log.FlushAsync();
            return await change();
        }
        finally
        {
            _changes.Release();
        }
    }

    private async Task<ChatMessage> MessageAsync(long seq)
    {
        var message = seq <= _log.DurableSeq ? await store.MessageAsync(_room, seq) : null;
        return message is null || message.Deleted ? throw new ChatException(ChatErrorCode.NotFound, "No such message.") : message;
    }

    private async Task<RoomRole> RoleOfAsync(string user) => (await _members.StateOfAsync(user))?.Role ?? RoomRole.Member;

    private async Task<RoomRole> EnsureModeratorAsync(string user)
    {
        await EnsureMemberAsync(user);
        if (_direct is not null)
        {
            throw new ChatException(ChatErrorCode.Forbidden, "A direct conversation has no moderators.");
        }

        var role = await RoleOfAsync(user);
        return role >= RoomRole.Admin ? role : throw new ChatException(ChatErrorCode.Forbidden, "Only an owner or admin of the room may do this.");
    }

    /// <summary>A member who may send, react, edit and type: not muted.</summary>
    private async Task<MemberState?> EnsureCanSpeakAsync(string user)
    {
        await EnsureMemberAsync(user);
        var state = await _members.StateOfAsync(user);
        if (state?.MutedUntil is { } until && until > time.GetUtcNow())
        {
            throw until == DateTimeOffset.MaxValue
                ? new ChatException(ChatErrorCode.Muted, "You are muted in this room.")
                : new ChatException(ChatErrorCode.Muted, $"You are muted in this room until {until:O}.", until);
        }

        return state;
    }
}
