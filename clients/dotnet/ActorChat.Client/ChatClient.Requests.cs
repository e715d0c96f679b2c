using System.Net.WebSockets;
using System.Text.Json;

namespace ActorChat.Client;

/// <summary>
/// The requests of protocol v1 (docs/protocol.md), each returning its ok or throwing <see cref="ChatException"/>.
/// Those safe to send twice (sends by <c>clientMsgId</c>, joins, reads, reactions, pages) survive a reconnect; the
/// others fail with <c>disconnected</c> when the socket drops before their reply.
/// </summary>
public sealed partial class ChatClient
{
    /// <summary>
    /// Becomes a member and follows the room; it is joined again after every reconnect. With <paramref name="since"/>
    /// the messages after it are replayed as events; <paramref name="isPrivate"/> creates a room that does not exist yet as private.
    /// </summary>
    public Task<JoinResult> JoinAsync(string room, long? since = null, bool isPrivate = false, CancellationToken cancellationToken = default) =>
        RequestAsync(
            "join",
            w =>
            {
                w.WriteString("room", room);
                if (since is { } s)
                {
                    w.WriteNumber("since", s);
                }

                if (isPrivate)
                {
                    w.WriteBoolean("private", true);
                }
            },
            ChatJsonContext.Default.JoinResult,
            retry: true,
            ok => _rooms.Joined(ok.Room, since, ok.LastSeq),
            cancellationToken);

    public async Task LeaveAsync(string room, CancellationToken cancellationToken = default) =>
        await RequestAsync("leave", w => w.WriteString("room", room), ChatJsonContext.Default.RoomReply, retry: false, _ => _rooms.Forget(room), cancellationToken);

    /// <summary>
    /// Sends a message. It carries <paramref name="clientMsgId"/> (a new one unless given), so a retry after a
    /// reconnect is stored once; <paramref name="replyTo"/> is a seq of the room, <paramref name="mentions"/> user ids.
    /// </summary>
    public Task<SendResult> SendAsync(string room, string text, long? replyTo = null, IReadOnlyList<string>? mentions = null, string? clientMsgId = null, CancellationToken cancellationToken = default)
    {
        var id = clientMsgId ?? NewClientMsgId();
        return RequestAsync(
            "send",
            w =>
            {
                w.WriteString("room", room);
                w.WriteString("text", text);
                w.WriteString("clientMsgId", id);
                if (replyTo is { } seq)
                {
                    w.WriteNumber("replyTo", seq);
                }

                if (mentions is { Count: > 0 })
                {
                    w.WriteStartArray("mentions");
                    foreach (var user in mentions)
                    {
                        w.WriteStringValue(user);
                    }

                    w.WriteEndArray();
                }
            },
            ChatJsonContext.Default.SendResult,
            retry: true,
            onOk: null,
            cancellationToken);
    }

    /// <summary>A direct message to <paramref name="to"/>, through the room <c>dm:a:b</c> (the result names it).</summary>
    public Task<SendResult> DirectMessageAsync(string to, string text, string? clientMsgId = null, CancellationToken cancellationToken = default)
    {
        var id = clientMsgId ?? NewClientMsgId();
        return RequestAsync(
            "dm",
            w =>
            {
                w.WriteString("to", to);
                w.WriteString("text", text);
                w.WriteString("clientMsgId", id);
            },
            ChatJsonContext.Default.SendResult,
            retry: true,
            onOk: null,
            cancellationToken);
    }

    /// <summary>A page of messages in their current state, oldest first: the newest without <paramref name="before"/>.</summary>
    public Task<HistoryPage> HistoryAsync(string room, long? before = null, int? limit = null, CancellationToken cancellationToken = default) =>
        RequestAsync(
            "history",
            w =>
            {
                w.WriteString("room", room);
                WriteOptional(w, "before", before);
                WriteOptional(w, "limit", limit);
            },
            ChatJsonContext.Default.HistoryPage,
            retry: true,
            onOk: null,
            cancellationToken);

    public Task<MembersPage> MembersAsync(string room, string? after = null, int? limit = null, CancellationToken cancellationToken = default) =>
        RequestAsync(
            "members",
            w =>
            {
                w.WriteString("room", room);
                if (after is not null)
                {
                    w.WriteString("after", after);
                }

                WriteOptional(w, "limit", limit);
            },
            ChatJsonContext.Default.MembersPage,
            retry: true,
            onOk: null,
            cancellationToken);

    /// <summary>The user's memberships with unread and mention counts, direct rooms included.</summary>
    public async Task<IReadOnlyList<RoomMembership>> RoomsAsync(CancellationToken cancellationToken = default) =>
        (await RequestAsync("rooms", fields: null, ChatJsonContext.Default.RoomsReply, retry: true, onOk: null, cancellationToken)).Rooms;

    public Task<MemberResult> InviteAsync(string room, string user, CancellationToken cancellationToken = default) =>
        MemberRequestAsync("invite", room, user, until: null, cancellationToken);

    public async Task<IReadOnlyList<Invitation>> InvitationsAsync(CancellationToken cancellationToken = default) =>
        (await RequestAsync("invitations", fields: null, ChatJsonContext.Default.InvitationsReply, retry: true, onOk: null, cancellationToken)).Invitations;

    public async Task DeclineAsync(string room, CancellationToken cancellationToken = default) =>
        await RequestAsync("decline", w => w.WriteString("room", room), ChatJsonContext.Default.RoomReply, retry: false, onOk: null, cancellationToken);

    /// <summary>
    /// A page of public rooms. With <paramref name="watch"/> the connection then receives <see cref="DirectoryChanged"/>
    /// events, and after a reconnect the client browses again and passes the fresh page with <c>Reset</c>.
    /// </summary>
    public Task<BrowsePage> BrowseAsync(string? after = null, int? limit = null, bool watch = true, CancellationToken cancellationToken = default) =>
        RequestAsync(
            "browse",
            w => WriteBrowse(w, after, limit, watch),
            ChatJsonContext.Default.BrowsePage,
            retry: true,
            _ => _browsing = watch ? (after, limit) : null,
            cancellationToken);

    /// <summary>Tells the others in the room this user is typing; fire and forget, and nothing when not connected.</summary>
    public async Task TypingAsync(string room, CancellationToken cancellationToken = default)
    {
        if (_connection is not { IsOpen: true } connection)
        {
            return;
        }

        try
        {
            await connection.NotifyAsync("typing", w => w.WriteString("room", room), cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
            // Typing is stale by the time a new connection is up.
        }
    }

    /// <summary>Moves the read pointer forward to <paramref name="seq"/>; the result is the pointer after the call.</summary>
    public Task<ReadResult> ReadAsync(string room, long seq, CancellationToken cancellationToken = default) =>
        RequestAsync(
            "read",
            w =>
            {
                w.WriteString("room", room);
                w.WriteNumber("seq", seq);
            },
            ChatJsonContext.Default.ReadResult,
            retry: true,
            onOk: null,
            cancellationToken);

    /// <summary>A round trip; the server's clock.</summary>
    public async Task<DateTimeOffset> PingAsync(CancellationToken cancellationToken = default) =>
        (await RequestAsync("ping", fields: null, ChatJsonContext.Default.PingReply, retry: false, onOk: null, cancellationToken)).Timestamp;

    /// <summary>Hands this connection a fresh token for the same user before its token expires (else it closes with 4001 and the client reconnects).</summary>
    public async Task<DateTimeOffset?> RefreshAsync(string token, CancellationToken cancellationToken = default) =>
        (await RequestAsync("refresh", w => w.WriteString("token", token), ChatJsonContext.Default.RefreshReply, retry: false, onOk: null, cancellationToken)).ExpiresAt;

    /// <summary>Replaces the text of one's own message (within the server's edit window).</summary>
    public Task<EditResult> EditAsync(string room, long seq, string text, CancellationToken cancellationToken = default) =>
        RequestAsync(
            "edit",
            w =>
            {
                w.WriteString("room", room);
                w.WriteNumber("seq", seq);
                w.WriteString("text", text);
            },
            ChatJsonContext.Default.EditResult,
            retry: false,
            onOk: null,
            cancellationToken);

    /// <summary>Deletes a message: one's own, or any as an owner or admin.</summary>
    public Task<DeleteResult> DeleteAsync(string room, long seq, CancellationToken cancellationToken = default) =>
        RequestAsync(
            "delete",
            w =>
            {
                w.WriteString("room", room);
                w.WriteNumber("seq", seq);
            },
            ChatJsonContext.Default.DeleteResult,
            retry: false,
            onOk: null,
            cancellationToken);

    public Task<ReactionResult> ReactAsync(string room, long seq, string emoji, CancellationToken cancellationToken = default) =>
        ReactionRequestAsync("react", room, seq, emoji, cancellationToken);

    public Task<ReactionResult> UnreactAsync(string room, long seq, string emoji, CancellationToken cancellationToken = default) =>
        ReactionRequestAsync("unreact", room, seq, emoji, cancellationToken);

    /// <summary>Gives <paramref name="user"/> a role (<see cref="RoomRoles"/>): owners and admins only.</summary>
    public Task<RoleResult> SetRoleAsync(string room, string user, string role, CancellationToken cancellationToken = default) =>
        RequestAsync(
            "role",
            w =>
            {
                w.WriteString("room", room);
                w.WriteString("user", user);
                w.WriteString("role", role);
            },
            ChatJsonContext.Default.RoleResult,
            retry: false,
            onOk: null,
            cancellationToken);

    public Task<MemberResult> KickAsync(string room, string user, CancellationToken cancellationToken = default) =>
        MemberRequestAsync("kick", room, user, until: null, cancellationToken);

    /// <summary>Removes <paramref name="user"/> and keeps them out until <paramref name="until"/> (for good without it) or <see cref="UnbanAsync"/>.</summary>
    public Task<MemberResult> BanAsync(string room, string user, DateTimeOffset? until = null, CancellationToken cancellationToken = default) =>
        MemberRequestAsync("ban", room, user, until, cancellationToken);

    public Task<MemberResult> UnbanAsync(string room, string user, CancellationToken cancellationToken = default) =>
        MemberRequestAsync("unban", room, user, until: null, cancellationToken);

    /// <summary>Lets <paramref name="user"/> read but not write until <paramref name="until"/> (for good without it) or <see cref="UnmuteAsync"/>.</summary>
    public Task<MemberResult> MuteAsync(string room, string user, DateTimeOffset? until = null, CancellationToken cancellationToken = default) =>
        MemberRequestAsync("mute", room, user, until, cancellationToken);

    public Task<MemberResult> UnmuteAsync(string room, string user, CancellationToken cancellationToken = default) =>
        MemberRequestAsync("unmute", room, user, until: null, cancellationToken);

    /// <summary>Changes the topic and/or slow mode (seconds between a member's messages, 0 for off); a null keeps its value.</summary>
    public Task<SettingsResult> UpdateSettingsAsync(string room, string? topic = null, int? slowMode = null, CancellationToken cancellationToken = default) =>
        RequestAsync(
            "settings",
            w =>
            {
                w.WriteString("room", room);
                if (topic is not null)
                {
                    w.WriteString("topic", topic);
                }

                WriteOptional(w, "slowMode", slowMode);
            },
            ChatJsonContext.Default.SettingsResult,
            retry: false,
            onOk: null,
            cancellationToken);

    /// <summary>Any request, for what this version has no method for: its ok frame as it came.</summary>
    public Task<JsonElement> RequestAsync(string type, Action<Utf8JsonWriter>? fields = null, CancellationToken cancellationToken = default) =>
        RequestAsync(type, fields, ChatJsonContext.Default.JsonElement, retry: false, onOk: null, cancellationToken);

    private Task<MemberResult> MemberRequestAsync(string type, string room, string user, DateTimeOffset? until, CancellationToken cancellationToken) =>
        RequestAsync(
            type,
            w =>
            {
                w.WriteString("room", room);
                w.WriteString("user", user);
                if (until is { } end)
                {
                    w.WriteString("until", end);
                }
            },
            ChatJsonContext.Default.MemberResult,
            retry: false,
            onOk: null,
            cancellationToken);

    /// <summary>Reacting twice, or taking back what one never gave, changes nothing: safe to send again.</summary>
    private Task<ReactionResult> ReactionRequestAsync(string type, string room, long seq, string emoji, CancellationToken cancellationToken) =>
        RequestAsync(
            type,
            w =>
            {
                w.WriteString("room", room);
                w.WriteNumber("seq", seq);
                w.WriteString("emoji", emoji);
            },
            ChatJsonContext.Default.ReactionResult,
            retry: true,
            onOk: null,
            cancellationToken);

    private static void WriteBrowse(Utf8JsonWriter w, string? after, int? limit, bool watch)
    {
        if (after is not null)
        {
            w.WriteString("after", after);
        }

        WriteOptional(w, "limit", limit);
        w.WriteBoolean("watch", watch);
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    private static string NewClientMsgId() => Guid.NewGuid().ToString("N");
}
