using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ActorChat.Contracts;
using ActorChat.Storage;
using Microsoft.Extensions.Options;

namespace ActorChat.Grains.Webhooks;

/// <summary>
/// Turns what the store writes into webhook events for the endpoints that want them: the body is built here, once,
/// and the same bytes are signed and sent on every attempt.
/// </summary>
internal sealed class WebhookOutbox(IOptions<WebhookOptions> options) : IOutbox
{
    private static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly List<WebhookEndpointOptions> _endpoints = options.Value.Endpoints;

    public bool WantsNotices => _endpoints.Any(e => Wants(e, WebhookEvents.NotificationNeeded, room: null));

    public IReadOnlyList<OutboxEvent> For(OutboxTrigger trigger) => trigger switch
    {
        LogTrigger { Entry: MessagePosted posted } => One(WebhookEvents.MessageCreated, trigger.Room, posted.Message.Ts, w => WriteMessage(w, posted.Message)),
        LogTrigger { Entry: MessageEdited edited } => One(WebhookEvents.MessageEdited, trigger.Room, edited.EditedAt, w =>
        {
            w.WriteString("room", edited.Room);
            w.WriteNumber("seq", edited.Target);
            w.WriteString("text", edited.Text);
            w.WriteString("editedAt", edited.EditedAt);
            w.WriteString("by", edited.Editor);
            w.WriteNumber("logSeq", edited.LogSeq);
        }),
        LogTrigger { Entry: MessageDeleted deleted } => One(WebhookEvents.MessageDeleted, trigger.Room, deleted.At, w =>
        {
            w.WriteString("room", deleted.Room);
            w.WriteNumber("seq", deleted.Target);
            w.WriteString("by", deleted.Deleter);
            w.WriteNumber("logSeq", deleted.LogSeq);
        }),
        LogTrigger { Entry: MemberModerated { Removes: true } moderated } => One(WebhookEvents.MemberLeft, trigger.Room, moderated.At, w =>
        {
            w.WriteString("room", moderated.Room);
            w.WriteString("user", moderated.User);
            w.WriteString("reason", moderated.Action == ModerationAction.Ban ? "banned" : "kicked");
            w.WriteString("by", moderated.Moderator);
        }),
        MembershipTrigger membership => Membership(membership),
        _ => [],
    };

    /// <summary>The event telling that <paramref name="notice"/>'s user was written to while away, with the newest message.</summary>
    public OutboxEvent? Notification(Notice notice, ChatMessage? latest) =>
        One(WebhookEvents.NotificationNeeded, notice.Room, latest?.Ts ?? notice.FirstAt, w =>
        {
            w.WriteString("user", notice.User);
            w.WriteString("room", notice.Room);
            w.WriteNumber("count", notice.Count);
            w.WriteString("reason", ChatIds.IsDirect(notice.Room) ? "direct" : "mention");
            if (latest is not null)
            {
                w.WriteStartObject("latest");
                WriteMessage(w, latest);
                w.WriteEndObject();
            }
        }).SingleOrDefault();

    private List<OutboxEvent> Membership(MembershipTrigger membership)
    {
        var events = new List<OutboxEvent>();
        if (membership.Created)
        {
            events.AddRange(One(WebhookEvents.RoomCreated, membership.Room, membership.At, w =>
            {
                w.WriteString("room", membership.Room);
                w.WriteString("by", membership.User);
                w.WriteBoolean("private", membership.IsPrivate);
                w.WriteBoolean("direct", membership.IsDirect);
            }));
        }

        events.AddRange(One(membership.Joined ? WebhookEvents.MemberJoined : WebhookEvents.MemberLeft, membership.Room, membership.At, w =>
        {
            w.WriteString("room", membership.Room);
            w.WriteString("user", membership.User);
            if (!membership.Joined)
            {
                w.WriteString("reason", "left");
            }
        }));
        return events;
    }

    private List<OutboxEvent> One(string kind, string room, DateTimeOffset at, Action<Utf8JsonWriter> data)
    {
        var endpoints = _endpoints.Where(e => Wants(e, kind, room)).Select(e => e.Name).ToList();
        if (endpoints.Count == 0)
        {
            return [];
        }

        // Ids sort by time (version 7), so receivers and operators can order them.
        var id = $"evt_{Guid.CreateVersion7(at):N}";
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, Writer))
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("type", kind);
            w.WriteString("createdAt", at);
            w.WriteStartObject("data");
            data(w);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return [new OutboxEvent(id, kind, Encoding.UTF8.GetString(buffer.WrittenSpan), endpoints)];
    }

    private static void WriteMessage(Utf8JsonWriter w, ChatMessage message)
    {
        w.WriteString("room", message.Room);
        w.WriteNumber("seq", message.Seq);
        w.WriteString("from", message.From);
        w.WriteString("kind", message.Kind.ToString().ToLowerInvariant());
        w.WriteString("text", message.Text);
        w.WriteString("ts", message.Ts);
        if (message.ClientMsgId is not null)
        {
            w.WriteString("clientMsgId", message.ClientMsgId);
        }

        if (message.ReplyTo is { } replyTo)
        {
            w.WriteNumber("replyTo", replyTo);
        }

        if (message.Mentions is { Count: > 0 } mentions)
        {
            w.WriteStartArray("mentions");
            foreach (var mentioned in mentions)
            {
                w.WriteStringValue(mentioned);
            }

            w.WriteEndArray();
        }
    }

    private static bool Wants(WebhookEndpointOptions endpoint, string kind, string? room) =>
        (endpoint.Events.Count == 0 || endpoint.Events.Contains(kind, StringComparer.Ordinal)) &&
        (room is null || endpoint.Rooms.Count == 0 || endpoint.Rooms.Any(pattern =>
            pattern.EndsWith('*') ? room.StartsWith(pattern[..^1], StringComparison.Ordinal) : room == pattern));
}
