using ActorChat.Contracts;

namespace ActorChat.Grains.Rooms;

/// <summary>
/// What a backend does through the server API: it is trusted (its key was checked by the front end), so it posts
/// without being a member, adds and removes members past privacy and quotas, and reads any room.
/// </summary>
internal sealed partial class RoomGrain
{
    public async Task<SendResult> PostAs(SenderKind kind, string name, MessageDraft draft)
    {
        EnsureValidRoom();
        ValidateText(draft.Text);
        if (kind == SenderKind.User || !ChatIds.IsValidUser(name))
        {
            throw new ChatException(ChatErrorCode.BadRequest, "A backend posts as a bot or the system, under a name like a user id.");
        }

        if (!_members.Exists)
        {
            throw NoSuchRoom();
        }

        draft = draft with { Mentions = await MentionsAsync(draft.Mentions) };
        if (draft.ReplyTo is { } replyTo)
        {
            await MessageAsync(replyTo);
        }

        return await _log.AppendAsync(name, draft, System.Diagnostics.Activity.Current?.Id, kind);
    }

    public async Task<RoomInfo> Open(string owner, bool isPrivate, IReadOnlyList<string> members)
    {
        EnsureValidRoom();
        if (_direct is not null)
        {
            throw new ChatException(ChatErrorCode.BadRequest, "Direct conversations open with their first message.");
        }

        if (_members.Exists)
        {
            throw new ChatException(ChatErrorCode.Conflict, "A room of this name exists.");
        }

        await AddMemberAsync(owner, isPrivate, trusted: true);
        foreach (var member in members.Where(m => m != owner).Distinct(StringComparer.Ordinal))
        {
            await AddMemberAsync(member, createPrivate: false, trusted: true);
        }

        return await Info();
    }

    public async Task<bool> Admit(string user)
    {
        EnsureValidRoom();
        if (!_members.Exists)
        {
            throw NoSuchRoom();
        }

        if ((await _members.AdmissionOfAsync(user)).Member)
        {
            return false;
        }

        await AddMemberAsync(user, createPrivate: false, trusted: true);
        return true;
    }

    public async Task<bool> Remove(string user, string by)
    {
        EnsureValidRoom();
        return await ChangeAsync(async () =>
        {
            if (!(await _members.AdmissionOfAsync(user)).Member)
            {
                return new ChangeResult(0, time.GetUtcNow());
            }

            // Recorded as a kick, so every front end stops delivering the room to the user at once.
            var change = (MemberModerated)await _log.ChangeAsync((at, now) => new MemberModerated(_room, at, user, ModerationAction.Kick, by, now));
            _members.Removed(user);
            UpdateDirectory();
            return new ChangeResult(change.Seq, change.At);
        }) is { Seq: > 0 };
    }

    public async Task<HistoryPage> Browse(long? before, int limit)
    {
        EnsureValidRoom();
        if (!_members.Exists)
        {
            throw NoSuchRoom();
        }

        limit = ClampPage(limit);
        var page = (await _log.HistoryAsync(before ?? long.MaxValue, limit + 1, viewer: string.Empty)).ToList();
        return MessagePages.Newest(page, limit, _limits.MaxHistoryPageBytes);
    }

    public async Task<MembersPage> Roster(string? after, int limit)
    {
        EnsureValidRoom();
        if (!_members.Exists)
        {
            throw NoSuchRoom();
        }

        return await MembersPageAsync(after, limit);
    }
}
