using System.Text.Json;
using ActorChat.Contracts;

namespace ActorChat.FrontEnd.Protocol;

/// <summary>
/// Builds the UTF-8 JSON frames of protocol v1 (docs/protocol.md). An event is encoded once and the same
/// bytes go to every socket that receives it.
/// </summary>
internal static class Frames
{
    public const int ProtocolVersion = 1;

    public static byte[] Welcome(string user, string connectionId) => Build(w =>
    {
        w.WriteString("type", "welcome");
        w.WriteString("user", user);
        w.WriteString("connection", connectionId);
        w.WriteNumber("protocol", ProtocolVersion);
    });

    public static byte[] Ok(string? id, Action<Utf8JsonWriter>? result = null) => Build(w =>
    {
        w.WriteString("type", "ok");
        WriteId(w, id);
        result?.Invoke(w);
    });

    /// <summary>A refusal from a grain, with when to try again if it says (slow mode, a mute or ban with an end).</summary>
    public static byte[] Error(string? id, ChatException refusal, DateTimeOffset now) =>
        Error(id, refusal.Code, refusal.Message, refusal.RetryAt is { } at ? w => w.WriteNumber("retryAfterMs", Math.Max(0, (long)Math.Ceiling((at - now).TotalMilliseconds))) : null);

    public static byte[] Error(string? id, ChatErrorCode code, string message, Action<Utf8JsonWriter>? extra = null) => Build(w =>
    {
        w.WriteString("type", "error");
        WriteId(w, id);
        w.WriteString("code", code.WireName());
        w.WriteString("message", message);
        extra?.Invoke(w);
    });

    /// <summary>First event of a Server-Sent Events stream: what the <c>join</c> reply says on a socket.</summary>
    public static byte[] Ready(string room, JoinResult joined, bool recovered) => Build(w =>
    {
        w.WriteString("type", "ready");
        w.WriteString("room", room);
        w.WriteNumber("lastSeq", joined.LastSeq);
        w.WriteNumber("memberCount", joined.MemberCount);
        w.WriteBoolean("recovered", recovered);
        WriteJoined(w, joined);
    });

    /// <summary>What a join tells beyond positions, on the socket's ok and the event stream's ready alike.</summary>
    public static void WriteJoined(Utf8JsonWriter w, JoinResult joined)
    {
        w.WriteBoolean("private", joined.IsPrivate);
        WriteSettings(w, joined.Topic, joined.SlowModeSeconds);
        w.WriteString("role", RoleName(joined.Role));
    }

    public static byte[] Message(ChatMessage message) => Build(w =>
    {
        w.WriteString("type", "message");
        WriteMessageFields(w, message);
    });

    /// <summary>A room event as its frame: a message, a change (with its <c>logSeq</c>), presence, typing or a read.</summary>
    public static byte[] Event(RoomEvent roomEvent) => roomEvent switch
    {
        MessagePosted posted => Message(posted.Message),
        RoomChange change => Change(change),
        PresenceChanged presence => Build(w =>
        {
            w.WriteString("type", "presence");
            w.WriteString("room", presence.Room);
            w.WriteString("user", presence.User);
            w.WriteString("status", StatusName(presence.Status));
        }),
        UserTyping typing => Build(w =>
        {
            w.WriteString("type", "typing");
            w.WriteString("room", typing.Room);
            w.WriteString("user", typing.User);
        }),
        ReadMoved read => Build(w =>
        {
            w.WriteString("type", "read");
            w.WriteString("room", read.Room);
            w.WriteString("user", read.User);
            w.WriteNumber("seq", read.Seq);
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(roomEvent), roomEvent.GetType().Name, "Unknown room event."),
    };

    /// <summary>
    /// A change to a message or to the room. <c>logSeq</c> comes right after the type: it is the change's place in the
    /// room's log (what a client resumes from), and the event stream reads it as the SSE id without parsing the rest.
    /// </summary>
    public static byte[] Change(RoomChange change) => Build(w =>
    {
        switch (change)
        {
            case MessageEdited edited:
                Head(w, "edited", change);
                w.WriteNumber("seq", edited.Target);
                w.WriteString("text", edited.Text);
                w.WriteString("editedAt", edited.EditedAt);
                break;
            case MessageDeleted deleted:
                Head(w, "deleted", change);
                w.WriteNumber("seq", deleted.Target);
                break;
            case ReactionChanged reaction:
                Head(w, "reaction", change);
                w.WriteNumber("seq", reaction.Target);
                w.WriteString("emoji", reaction.Emoji);
                w.WriteString("user", reaction.User);
                w.WriteBoolean("added", reaction.Added);
                w.WriteNumber("count", reaction.Count);
                break;
            case MemberModerated moderated:
                Head(w, "moderation", change);
                w.WriteString("user", moderated.User);
                w.WriteString("action", ActionName(moderated.Action));
                if (moderated.Until is { } until)
                {
                    w.WriteString("until", until);
                }

                if (moderated.Role is { } role)
                {
                    w.WriteString("role", RoleName(role));
                }

                break;
            case SettingsChanged settings:
                Head(w, "settings", change);
                WriteSettings(w, settings.Topic, settings.SlowModeSeconds);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change.GetType().Name, "Unknown change.");
        }

        w.WriteString("by", change.By);

        static void Head(Utf8JsonWriter w, string type, RoomChange change)
        {
            w.WriteString("type", type);
            w.WriteNumber("logSeq", change.Seq);
            w.WriteString("room", change.Room);
        }
    });

    public static void WriteSettings(Utf8JsonWriter w, string? topic, int slowModeSeconds)
    {
        if (topic is null)
        {
            w.WriteNull("topic");
        }
        else
        {
            w.WriteString("topic", topic);
        }

        w.WriteNumber("slowMode", slowModeSeconds);
    }

    public static string RoleName(RoomRole role) => role switch
    {
        RoomRole.Owner => "owner",
        RoomRole.Admin => "admin",
        _ => "member",
    };

    public static string ActionName(ModerationAction action) => action switch
    {
        ModerationAction.Role => "role",
        ModerationAction.Kick => "kick",
        ModerationAction.Ban => "ban",
        ModerationAction.Unban => "unban",
        ModerationAction.Mute => "mute",
        _ => "unmute",
    };

    /// <summary>Public rooms whose member count changed; <c>members: 0</c> means the room is no longer listed.</summary>
    public static byte[] Directory(DirectoryChanged changed) => Build(w =>
    {
        w.WriteString("type", "directory");
        WriteListings(w, changed.Rooms);
    });

    /// <summary>The <c>rooms</c> array of the <c>directory</c> event and the <c>browse</c> result.</summary>
    public static void WriteListings(Utf8JsonWriter w, IReadOnlyList<RoomListing> rooms)
    {
        w.WriteStartArray("rooms");
        foreach (var listing in rooms)
        {
            w.WriteStartObject();
            w.WriteString("room", listing.Room);
            w.WriteNumber("members", listing.MemberCount);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    public static byte[] Invited(Invitation invitation) => Build(w =>
    {
        w.WriteString("type", "invited");
        WriteInvitationFields(w, invitation);
    });

    /// <summary>The fields of an invitation, shared by the <c>invited</c> event and the <c>invitations</c> result.</summary>
    public static void WriteInvitationFields(Utf8JsonWriter w, Invitation invitation)
    {
        w.WriteString("room", invitation.Room);
        w.WriteString("by", invitation.By);
        w.WriteString("ts", invitation.At);
    }

    /// <summary>
    /// The fields of a message in its current state, shared by the <c>message</c> event and the <c>history</c> result.
    /// A deleted message has no text; a user's message no <c>kind</c> (old clients see nothing new).
    /// </summary>
    public static void WriteMessageFields(Utf8JsonWriter w, ChatMessage message)
    {
        w.WriteString("room", message.Room);
        w.WriteNumber("seq", message.Seq);
        w.WriteString("from", message.From);
        if (message.Deleted)
        {
            w.WriteBoolean("deleted", true);
        }
        else
        {
            w.WriteString("text", message.Text);
        }

        w.WriteString("ts", message.Ts);
        if (message.ClientMsgId is not null)
        {
            w.WriteString("clientMsgId", message.ClientMsgId);
        }

        if (message.Kind != SenderKind.User)
        {
            w.WriteString("kind", message.Kind == SenderKind.Bot ? "bot" : "system");
        }

        if (message.EditedAt is { } editedAt)
        {
            w.WriteString("editedAt", editedAt);
        }

        if (message.ReplyTo is { } replyTo)
        {
            w.WriteNumber("replyTo", replyTo);
        }

        if (message.Mentions is { Count: > 0 } mentions)
        {
            w.WriteStartArray("mentions");
            foreach (var user in mentions)
            {
                w.WriteStringValue(user);
            }

            w.WriteEndArray();
        }

        if (message.Reactions is { Count: > 0 } reactions)
        {
            w.WriteStartArray("reactions");
            foreach (var reaction in reactions)
            {
                w.WriteStartObject();
                w.WriteString("emoji", reaction.Emoji);
                w.WriteNumber("count", reaction.Count);
                w.WriteBoolean("me", reaction.Me);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }
    }

    public static void WriteMessages(Utf8JsonWriter w, string property, IReadOnlyList<ChatMessage> messages)
    {
        w.WriteStartArray(property);
        foreach (var message in messages)
        {
            w.WriteStartObject();
            WriteMessageFields(w, message);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    public static string StatusName(PresenceStatus status) => status switch
    {
        PresenceStatus.Joined => "joined",
        PresenceStatus.Left => "left",
        PresenceStatus.Online => "online",
        _ => "offline",
    };

    private static void WriteId(Utf8JsonWriter w, string? id)
    {
        if (id is null)
        {
            w.WriteNull("id");
        }
        else
        {
            w.WriteString("id", id);
        }
    }

    /// <summary>Text goes out as UTF-8, escaped only where JSON requires (see <see cref="ChatJsonEncoder"/>).</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = ChatJsonEncoder.Instance };

    private static byte[] Build(Action<Utf8JsonWriter> body)
    {
        using var buffer = new PooledBufferWriter(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
