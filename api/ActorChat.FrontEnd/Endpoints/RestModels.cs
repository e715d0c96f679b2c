using System.Text.Json.Serialization;
using ActorChat.Contracts;
using ActorChat.FrontEnd.Protocol;

namespace ActorChat.FrontEnd.Endpoints;

/// <summary>A message in its current state, as REST returns it: the fields of the socket's <c>message</c> event.</summary>
internal sealed record MessageView(
    string Room,
    long Seq,
    string From,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text,
    DateTimeOffset Ts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ClientMsgId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? EditedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Deleted,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? ReplyTo,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Mentions,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ReactionView>? Reactions)
{
    public static MessageView Of(ChatMessage m) => new(
        m.Room,
        m.Seq,
        m.From,
        m.Deleted ? null : m.Text,
        m.Ts,
        m.ClientMsgId,
        m.Kind switch { SenderKind.Bot => "bot", SenderKind.System => "system", _ => null },
        m.EditedAt,
        m.Deleted ? true : null,
        m.ReplyTo,
        m.Mentions is { Count: > 0 } mentions ? mentions : null,
        m.Reactions is { Count: > 0 } reactions ? [.. reactions.Select(r => new ReactionView(r.Emoji, r.Count, r.Me))] : null);
}

internal sealed record ReactionView(string Emoji, int Count, bool Me);

/// <summary>A page of messages; <see cref="Next"/> (reading forwards with <c>after</c>) is where to continue.</summary>
internal sealed record MessagesPage(
    string Room,
    IReadOnlyList<MessageView> Messages,
    bool HasMore,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Next = null)
{
    public static MessagesPage Of(string room, HistoryPage page) => new(room, [.. page.Messages.Select(MessageView.Of)], page.HasMore, page.Next);
}

internal sealed record RoomView(string Id, int Members, long LastSeq, bool Direct, bool Private, string? Topic, int SlowMode);

internal sealed record RoomSummary(string Id, int Members, long LastSeq);

internal sealed record RoomsPage(IReadOnlyList<RoomSummary> Rooms, string? Next);

internal sealed record SentMessage(string Room, long Seq, DateTimeOffset Ts);

internal sealed record EditedMessage(string Room, long Seq, long LogSeq, DateTimeOffset EditedAt);

internal sealed record DeletedMessage(string Room, long Seq, long LogSeq);

internal sealed record ReactionCountView(string Room, long Seq, string Emoji, int Count);

internal sealed record MemberRoleView(string Room, string User, string Role);

internal sealed record ModeratedMember(string Room, string User);

internal sealed record RoomSettingsView(string Room, string? Topic, int SlowMode)
{
    public static RoomSettingsView Of(RoomInfo info) => new(info.Room, info.Topic, info.SlowModeSeconds);
}

internal sealed record PostMessageRequest(string? Text, string? ClientMsgId, long? ReplyTo, IReadOnlyList<string?>? Mentions);

internal sealed record EditMessageRequest(string? Text);

internal sealed record InviteRequest(string? User);

internal sealed record RoleRequest(string? Role);

/// <summary><c>until</c>: an ISO 8601 time with an offset; without it the ban or mute lasts until lifted.</summary>
internal sealed record ModerationRequest(string? Until)
{
    public DateTimeOffset? End => Until is { } text ? RequestRules.Time(text, "until") : null;
}

internal sealed record SettingsRequest(string? Topic, int? SlowMode);
