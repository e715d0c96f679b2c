using System.Text.Json;
using ActorChat.Contracts;
using ActorChat.FrontEnd.Auth;
using ActorChat.FrontEnd.Connections;
using ActorChat.FrontEnd.Limits;
using ActorChat.FrontEnd.Protocol;
using ActorChat.FrontEnd.Relay;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.Sockets;

/// <summary>Carries out the requests of protocol v1 (docs/protocol.md) for one connection.</summary>
internal sealed class RequestHandler(
    IGrainFactory grains,
    ChatRelay relay,
    IOptions<ChatLimits> limits,
    IOptions<SocketOptions> socketOptions,
    RequestBudgets budgets,
    TokenValidator tokens,
    ChatMetrics metrics,
    TimeProvider time)
{
    private readonly ChatLimits _limits = limits.Value;
    private readonly SocketOptions _socketOptions = socketOptions.Value;

    public Task HandleAsync(ChatConnection connection, ClientRequest request) => request.Type switch
    {
        "join" => JoinAsync(connection, request),
        "leave" => LeaveAsync(connection, request),
        "invite" => InviteAsync(connection, request),
        "invitations" => InvitationsAsync(connection, request),
        "decline" => DeclineAsync(connection, request),
        "members" => MembersAsync(connection, request),
        "send" or "dm" => SendAsync(connection, [ReadSend(connection, request)]),
        "history" => HistoryAsync(connection, request),
        "edit" => EditAsync(connection, request),
        "delete" => DeleteAsync(connection, request),
        "react" => ReactAsync(connection, request, add: true),
        "unreact" => ReactAsync(connection, request, add: false),
        "role" => RoleAsync(connection, request),
        "kick" => ModerateAsync(connection, request, ModerationAction.Kick),
        "ban" => ModerateAsync(connection, request, ModerationAction.Ban),
        "unban" => ModerateAsync(connection, request, ModerationAction.Unban),
        "mute" => ModerateAsync(connection, request, ModerationAction.Mute),
        "unmute" => ModerateAsync(connection, request, ModerationAction.Unmute),
        "settings" => SettingsAsync(connection, request),
        "typing" => TypingAsync(connection, request),
        "read" => ReadAsync(connection, request),
        "rooms" => RoomsAsync(connection, request),
        "browse" => BrowseAsync(connection, request),
        "ping" => Reply(connection, request, w => w.WriteString("ts", time.GetUtcNow())),
        "refresh" => RefreshAsync(connection, request),
        _ => throw new ProtocolException(ChatErrorCode.UnknownType, $"Unknown request type '{request.Type}'."),
    };

    private async Task JoinAsync(ChatConnection connection, ClientRequest request)
    {
        var room = RequestRules.JoinableRoom(request.OptionalString("room"), connection.User);
        var since = request.OptionalLong("since", 0, long.MaxValue);
        if (!relay.Follows(connection, room) && relay.FollowedRoomCount(connection) >= _socketOptions.MaxRoomsPerConnection)
        {
            throw new ProtocolException(ChatErrorCode.Forbidden, $"A connection may follow at most {_socketOptions.MaxRoomsPerConnection} rooms.");
        }

        var grain = grains.Room(room);
        var joined = request.OptionalBool("private") ? await grain.JoinPrivate(connection.User) : await grain.Join(connection.User);
        var resume = ResumePoint.Of(joined, since);
        var ok = Frames.Ok(request.Id, w =>
        {
            w.WriteString("room", room);
            w.WriteNumber("lastSeq", joined.LastSeq);
            w.WriteNumber("memberCount", joined.MemberCount);
            w.WriteBoolean("recovered", resume.Recovered);
            Frames.WriteJoined(w, joined);
        });

        // The ok goes out before any message of the room; replay (since..] and live events follow in seq order.
        var followed = await relay.FollowRoomAsync(connection, room, resume.Cursor, () => connection.SendAsync(ok).AsTask());
        if (!followed)
        {
            await connection.SendAsync(ok);
        }
    }

    private async Task LeaveAsync(ChatConnection connection, ClientRequest request)
    {
        var room = RequestRules.Room(request.OptionalString("room"));
        var wasMember = await grains.Room(room).Leave(connection.User);
        await relay.UnfollowRoomAsync(connection, room);
        if (!wasMember)
        {
            throw new ChatException(ChatErrorCode.NotMember, "Not a member of this room.");
        }

        await Reply(connection, request, w => w.WriteString("room", room));
    }

    private async Task InviteAsync(ChatConnection connection, ClientRequest request)
    {
        var room = RequestRules.Room(request.OptionalString("room"));
        var user = RequestRules.User(request.OptionalString("user"), "user");
        await grains.Room(room).Invite(connection.User, user);
        await Reply(connection, request, w =>
        {
            w.WriteString("room", room);
            w.WriteString("user", user);
        });
    }

    private async Task InvitationsAsync(ChatConnection connection, ClientRequest request)
    {
        var invitations = await grains.User(connection.User).Invitations();
        await Reply(connection, request, w =>
        {
            w.WriteStartArray("invitations");
            foreach (var invitation in invitations)
            {
                w.WriteStartObject();
                Frames.WriteInvitationFields(w, invitation);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    private async Task DeclineAsync(ChatConnection connection, ClientRequest request)
    {
        var room = RequestRules.Room(request.OptionalString("room"));
        await grains.Room(room).Decline(connection.User);
        await Reply(connection, request, w => w.WriteString("room", room));
    }

    private async Task MembersAsync(ChatConnection connection, ClientRequest request)
    {
        var room = RequestRules.Room(request.OptionalString("room"));
        var after = request.OptionalString("after");
        var limit = (int)(request.OptionalLong("limit", 1, _limits.MaxMembersPage) ?? _limits.MaxMembersPage);
        var page = await grains.Room(room).Members(connection.User, after, limit);
        await Reply(connection, request, w =>
        {
            w.WriteString("room", room);
            w.WriteStartArray("members");
            foreach (var member in page.Members)
            {
                w.WriteStartObject();
                w.WriteString("user", member.User);
                if (page.PresenceOff)
                {
                    w.WriteNull("online");
                }
                else
                {
                    w.WriteBoolean("online", member.Online);
                }
                w.WriteString("role", Frames.RoleName(member.Role));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteBoolean("hasMore", page.HasMore);
        });
    }

    /// <summary>
    /// Reads and checks a <c>send</c> to a room or a <c>dm</c> (a send to the direct-message room of the two users),
    /// so that it can wait in a queue after its frame is gone.
    /// </summary>
    public QueuedSend ReadSend(ChatConnection connection, ClientRequest request)
    {
        var room = request.Type == "dm"
            ? ChatIds.Direct(connection.User, RequestRules.User(request.OptionalString("to"), "to"))
            : RequestRules.Room(request.OptionalString("room"));
        var text = RequestRules.Text(request.OptionalString("text"), _limits);
        var clientMsgId = RequestRules.ClientMsgId(request.OptionalString("clientMsgId"), _limits);
        var replyTo = request.OptionalLong("replyTo", 1, long.MaxValue);
        var mentions = request.OptionalStrings("mentions", _limits.MaxMentions, m => RequestRules.User(m, "mentions"));
        return new QueuedSend(request.Id, request.Type, room, new MessageDraft(text, clientMsgId, replyTo, mentions), time.GetTimestamp());
    }

    /// <summary>
    /// Posts one connection's sends to one room, in their order, and answers each. A lone send is one call; several
    /// are one <see cref="IRoomGrain.PostMany"/>, where each has its own outcome. A failure of the call itself is
    /// thrown, for the caller to answer every send with.
    /// </summary>
    public async Task SendAsync(ChatConnection connection, IReadOnlyList<QueuedSend> sends)
    {
        var room = sends[0].Room;
        var grain = grains.Room(room);
        if (sends.Count == 1)
        {
            var draft = sends[0].Draft;
            var sent = draft.ReplyTo is null && draft.Mentions is null
                ? await grain.Send(connection.User, draft.Text, draft.ClientMsgId)
                : await grain.Post(connection.User, draft);
            await AnswerAsync(sends[0], sent);
            return;
        }

        var outcomes = await grain.PostMany(connection.User, [.. sends.Select(s => s.Draft)]);
        for (var i = 0; i < sends.Count; i++)
        {
            if (outcomes[i].Sent is { } sent)
            {
                await AnswerAsync(sends[i], sent);
            }
            else
            {
                var refused = outcomes[i].Refused ?? new ChatException(ChatErrorCode.Internal, "The request failed; it may be retried.");
                metrics.Rejected(refused.Code);
                await connection.SendAsync(Frames.Error(sends[i].Id, refused, time.GetUtcNow()));
            }
        }

        async Task AnswerAsync(QueuedSend send, SendResult sent)
        {
            metrics.Received();
            metrics.SendCompleted(time.GetElapsedTime(send.Started));
            await connection.SendAsync(Frames.Ok(send.Id, w =>
            {
                w.WriteString("room", room);
                w.WriteNumber("seq", sent.Seq);
                w.WriteString("ts", sent.Ts);
            }));
        }
    }

    private async Task HistoryAsync(ChatConnection connection, ClientRequest request)
    {
        var room = RequestRules.Room(request.OptionalString("room"));
        var before = request.OptionalLong("before", 1, long.MaxValue);
        var limit = (int)(request.OptionalLong("limit", 1, _limits.MaxHistoryPage) ?? _limits.DefaultHistoryPage);
        var page = await grains.Room(room).History(connection.User, before, limit);
        await Reply(connection, request, w =>
        {
            w.WriteString("room", room);
            Frames.WriteMessages(w, "messages", page.Messages);
            w.WriteBoolean("hasMore", page.HasMore);
        });
    }

    private async Task EditAsync(ChatConnection connection, ClientRequest request)
    {
        var room = RequestRules.Room(request.OptionalString("room"));
        var seq = request.RequiredLong("seq", 1, long.MaxValue);
        var text = RequestRules.Text(request.OptionalString("text"), _limits);
        var edited = await grains.Room(room).Edit(connection.User, seq, text);
        await Reply(connection, request, w =>
        {
            w.WriteString("room", room);
            w.WriteNumber("seq", seq);
            w.WriteNumber("logSeq", edited.Seq);
            w.WriteString("editedAt", edited.At);
        });
    }

    private async Task DeleteAsync(ChatConnection connection, ClientRequest request)
    {
        var room = RequestRules.Room(request.OptionalString("room"));
        var seq = request.RequiredLong("seq", 1, long.MaxValue);
        var deleted = await grains.Room(room).Delete(connection.User, seq);
        await Reply(connection, request, w =>
        {
            w.WriteString("room", room);
            w.WriteNumber("seq", seq);
            w.WriteNumber("logSeq", deleted.Seq);
        });
    }

    private async Task ReactAsync(ChatConnection connection, ClientRequest request, bool add)
    {
        var room = RequestRules.Room(request.OptionalString("room"));
        var seq = request.RequiredLong("seq", 1, long.MaxValue);
        var emoji = RequestRules.Emoji(request.OptionalString("emoji"));
        var reacted = await grains.Room(room).React(connection.User, seq, emoji, add);
        await Reply(connection, request, w =>
        {
            w.WriteString("room", room);
            w.WriteNumber("seq", seq);
            w.WriteString("emoji", emoji);
            w.WriteNumber("count", reacted.Count);
        });
    }

    private async Task RoleAsync(ChatConnection connection, ClientRequest request)
    {
        var room = RequestRules.Room(request.OptionalString("room"));
        var user = RequestRules.User(request.OptionalString("user"), "user");
        var role = RequestRules.Role(request.OptionalString("role"));
        await grains.Room(room).SetRole(connection.User, user, role);
        await Reply(connection, request, w =>
        {
            w.WriteString("room", room);
            w.WriteString("user", user);
            w.WriteString("role", Frames.RoleName(role));
        });
    }

    private async Task ModerateAsync(ChatConnection connection, ClientRequest request, ModerationAction action)
    {
        var room = RequestRules.Room(request.OptionalString("room"));
        var user = RequestRules.User(request.OptionalString("user"), "user");
        var until = action is ModerationAction.Ban or ModerationAction.Mute ? request.OptionalTime("until") : null;
        await grains.Room(room).Moderate(connection.User, user, action, until);
        await Reply(connection, request, w =>
        {
            w.WriteString("room", room);
            w.WriteString("user", user);
        });
    }

    private async Task SettingsAsync(ChatConnection connection, ClientRequest request)
    {
        var room = RequestRules.Room(request.OptionalString("room"));
        var topic = request.OptionalString("topic");
        var slowMode = request.OptionalLong("slowMode", 0, 86_400);
        var grain = grains.Room(room);
        await grain.Configure(connection.User, topic, (int?)slowMode);
        var info = await grain.Info();
        await Reply(connection, request, w =>
        {
            w.WriteString("room", room);
            Frames.WriteSettings(w, info.Topic, info.SlowModeSeconds);
        });
    }

    private async Task TypingAsync(ChatConnection connection, ClientRequest request)
    {
        var room = RequestRules.Room(request.OptionalString("room"));
        await grains.Room(room).Typing(connection.User);
        if (request.Id is not null)
        {
            await Reply(connection, request, w => w.WriteString("room", room));
        }
    }

    private async Task ReadAsync(ChatConnection connection, ClientRequest request)
    {
        var room = RequestRules.Room(request.OptionalString("room"));
        var seq = request.RequiredLong("seq", 0, long.MaxValue);
        var pointer = await grains.Room(room).Read(connection.User, seq);
        await Reply(connection, request, w =>
        {
            w.WriteString("room", room);
            w.WriteNumber("seq", pointer);
        });
    }

    private async Task RoomsAsync(ChatConnection connection, ClientRequest request)
    {
        // One call: the store knows each room's last seq, so no room grain is woken to answer. The answer was let in
        // for one request; a user in many rooms pays for what counting their unread messages took.
        var memberships = await grains.User(connection.User).Rooms();
        budgets.Charge(connection.User, (memberships.Count - 1) / _socketOptions.RoomsPerRequest);
        await Reply(connection, request, w =>
        {
            w.WriteStartArray("rooms");
            foreach (var membership in memberships)
            {
                w.WriteStartObject();
                w.WriteString("room", membership.Room);
                w.WriteNumber("lastSeq", membership.LastSeq);
                w.WriteNumber("lastRead", membership.LastRead);
                w.WriteNumber("unread", membership.Unread);
                w.WriteNumber("mentions", membership.Mentions);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    private async Task BrowseAsync(ChatConnection connection, ClientRequest request)
    {
        var after = request.OptionalString("after");
        var limit = (int)(request.OptionalLong("limit", 1, _limits.MaxRoomsPage) ?? Math.Min(100, _limits.MaxRoomsPage));
        var watch = request.OptionalBool("watch", defaultValue: true);

        // Watch before listing, so no change between the two is missed; one that comes early is applied again.
        if (watch)
        {
            await relay.Directory.WatchAsync(connection);
        }
        else
        {
            await relay.Directory.UnwatchAsync(connection);
        }

        var listings = await grains.Grain<IRoomDirectoryGrain>(IRoomDirectoryGrain.Key).List(after, limit);
        await Reply(connection, request, w =>
        {
            Frames.WriteListings(w, listings);
            if (listings.Count == limit)
            {
                w.WriteString("next", listings[^1].Room);
            }
            else
            {
                w.WriteNull("next");
            }
        });
    }

    private async Task RefreshAsync(ChatConnection connection, ClientRequest request)
    {
        var token = request.RequiredString("token");
        var expiresAt = await tokens.ValidateAsync(token, connection.User);
        connection.ExpireAt(expiresAt, time);
        await Reply(connection, request, w =>
        {
            if (expiresAt is { } at)
            {
                w.WriteString("expiresAt", at);
            }
        });
    }

    private static Task Reply(ChatConnection connection, ClientRequest request, Action<Utf8JsonWriter> result) =>
        connection.SendAsync(Frames.Ok(request.Id, result)).AsTask();
}
