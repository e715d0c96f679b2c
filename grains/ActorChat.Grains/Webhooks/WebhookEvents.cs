namespace ActorChat.Grains.Webhooks;

/// <summary>The event types a webhook endpoint may receive (docs/integration.md).</summary>
public static class WebhookEvents
{
    public const string MessageCreated = "message.created";
    public const string MessageEdited = "message.edited";
    public const string MessageDeleted = "message.deleted";
    public const string MemberJoined = "member.joined";
    public const string MemberLeft = "member.left";
    public const string RoomCreated = "room.created";
    public const string NotificationNeeded = "notification.needed";

    public static IReadOnlyList<string> All { get; } = [MessageCreated, MessageEdited, MessageDeleted, MemberJoined, MemberLeft, RoomCreated, NotificationNeeded];
}
