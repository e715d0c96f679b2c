using System.Buffers;
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
        w.WriteBoolean("private", joined.IsPrivate);
    });

    public static byte[] Message(ChatMessage message) => Build(w =>
    {
        w.WriteString("type", "message");
        WriteMessageFields(w, message);
    });

    public static byte[] Event(RoomEvent roomEvent) => roomEvent switch
    {
        MessagePosted posted => Message(posted.Message),
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

    /// <summary>The fields of a message, shared by the <c>message</c> event and the <c>history</c> result.</summary>
    public static void WriteMessageFields(Utf8JsonWriter w, ChatMessage message)
    {
        w.WriteString("room", message.Room);
        w.WriteNumber("seq", message.Seq);
        w.WriteString("from", message.From);
        w.WriteString("text", message.Text);
        w.WriteString("ts", message.Ts);
        if (message.ClientMsgId is not null)
        {
            w.WriteString("clientMsgId", message.ClientMsgId);
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
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
