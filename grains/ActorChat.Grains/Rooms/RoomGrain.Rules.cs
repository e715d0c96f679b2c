using ActorChat.Contracts;
using ActorChat.Storage;
using Microsoft.Extensions.Logging;

namespace ActorChat.Grains.Rooms;

/// <summary>Who may do what in the room, and what a membership change sets off.</summary>
internal sealed partial class RoomGrain
{
    private async Task<JoinResult> JoinAs(string user, bool createPrivate)
    {
        EnsureValidRoom();
        EnsureParticipant(user);
        await AddMemberAsync(user, createPrivate);

        // A resume needs to know where history starts now: retention trims without this grain.
        var first = await _log.RefreshFirstSeqAsync();
        var role = (await _members.StateOfAsync(user))?.Role ?? RoomRole.Member;
        return new JoinResult(_log.DurableSeq, _members.Count, first, _members.IsPrivate, _members.Topic, _members.SlowModeSeconds, role);
    }

    private async Task AddMemberAsync(string user, bool createPrivate, bool trusted = false)
    {
        var outcome = await _members.JoinAsync(user, createPrivate, trusted);
        switch (outcome.Status)
        {
            case JoinStatus.Joined:
                UpdateDirectory();
                if (EmitsPresence)
                {
                    await _events.PublishAsync(new PresenceChanged(_room, user, PresenceStatus.Joined));
                }

                break;
            case JoinStatus.NotAdmitted:
                // Exactly what a read of a missing room answers: outsiders cannot tell a private room from none.
                throw NoSuchRoom();
            case JoinStatus.PublicExists:
                // Made public by someone else: an ok here would let the asker believe the room is theirs alone.
                throw new ChatException(ChatErrorCode.Conflict, "A public room of this name exists; a private room needs a name of its own.");
            case JoinStatus.MembershipQuota:
                throw new ChatException(ChatErrorCode.QuotaExceeded, $"A user may belong to at most {_limits.MaxMembershipsPerUser} rooms; leave one first.");
            case JoinStatus.Banned:
                throw outcome.BannedUntil is { } until
                    ? new ChatException(ChatErrorCode.Forbidden, $"You are banned from this room until {until:O}.", until)
                    : new ChatException(ChatErrorCode.Forbidden, "You are banned from this room.");
            case JoinStatus.CreationQuota:
                throw new ChatException(ChatErrorCode.QuotaExceeded, outcome.NextCreation is { } next
                    ? $"A user may create at most {_limits.MaxRoomCreationsPerWindow} rooms per {_limits.RoomCreationWindow}; the next one is allowed at {next:O}."
                    : $"A user may create at most {_limits.MaxRoomsCreated} rooms.");
            default:
                break;
        }
    }

    private async Task PublishCommittedAsync(IReadOnlyList<PendingEntry> batch)
    {
        await _events.PublishAsync([.. batch.Select(b => b.Entry)]);
        if (_direct is { } pair)
        {
            foreach (var sent in batch.Select(b => b.Entry).OfType<MessagePosted>())
            {
                await _events.DeliverDirectAsync(pair.A, sent.Message);
                await _events.DeliverDirectAsync(pair.B, sent.Message);
            }
        }
    }

    /// <summary>Slow mode holds members (not owners or admins) to one message per interval.</summary>
    private void EnsureNotSlowed(MemberState? state)
    {
        if (_members.SlowModeSeconds > 0 && state is { Role: RoomRole.Member, LastSent: { } last })
        {
            var next = last + TimeSpan.FromSeconds(_members.SlowModeSeconds);
            if (next > time.GetUtcNow())
            {
                throw new ChatException(ChatErrorCode.SlowMode, $"Slow mode: one message per {_members.SlowModeSeconds} s; the next is allowed at {next:O}.", next);
            }
        }
    }

    /// <summary>Mentions of members only (others are dropped, not refused), each once, at most the limit.</summary>
    private async Task<IReadOnlyList<string>?> MentionsAsync(IReadOnlyList<string>? mentions)
    {
        if (mentions is not { Count: > 0 })
        {
            return null;
        }

        if (mentions.Count > _limits.MaxMentions)
        {
            throw new ChatException(ChatErrorCode.BadRequest, $"A message may mention at most {_limits.MaxMentions} users.");
        }

        var kept = new List<string>();
        foreach (var user in mentions.Distinct(StringComparer.Ordinal))
        {
            if (ChatIds.IsValidUser(user) && (await _members.AdmissionOfAsync(user)).Member)
            {
                kept.Add(user);
            }
        }

        return kept.Count == 0 ? null : kept;
    }

    private void UpdateDirectory()
    {
        // Private and direct rooms are never listed.
        if (_direct is null && !_members.IsPrivate)
        {
            GrainFactory.Grain<IRoomDirectoryGrain>(IRoomDirectoryGrain.Key).Update(_room, _members.Count).Ignore();
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
    private async Task<Admission> EnsureVisibleAsync(string user)
    {
        EnsureValidRoom();
        EnsureParticipant(user);
        if (!_members.Exists)
        {
            throw NoSuchRoom();
        }

        var admission = await _members.AdmissionOfAsync(user);
        return _members.IsPrivate && !admission.Member && !admission.Invited ? throw NoSuchRoom() : admission;
    }

    private async Task EnsureMemberAsync(string user)
    {
        if (!(await EnsureVisibleAsync(user)).Member)
        {
            throw new ChatException(ChatErrorCode.NotMember, "Join the room first.");
        }
    }

    private static ChatException NoSuchRoom() => new(ChatErrorCode.NotFound, "No such room.");

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing messages of room {Room} failed; the room reloads from the store on its next activation")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string room);
}
