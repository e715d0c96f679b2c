using System.Globalization;
using System.Text;
using ActorChat.Client;

namespace ActorChat.Cli;

/// <summary>Formats what the server sends for a terminal. User text never reaches the terminal raw.</summary>
internal static class Terminal
{
    /// <summary>
    /// Replaces control characters (escape sequences could move the cursor, retitle or rewrite the terminal) and
    /// indents continuation lines so a message cannot pass itself off as another.
    /// </summary>
    public static string Safe(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c == '\n')
            {
                builder.Append("\n    ");
            }
            else if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\u202E' or '\u202D')
            {
                builder.Append('\uFFFD');
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary><c>[room #seq hh:mm:ss] user: text</c>, with what the message is a reply to, and whether it was edited or deleted.</summary>
    public static string Message(ChatMessage message)
    {
        var ts = message.Timestamp.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        var from = Safe(message.From) + (message.Kind is { } kind ? $" [{Safe(kind)}]" : string.Empty);
        var reply = message.ReplyTo is { } to ? $" (reply to #{to})" : string.Empty;
        var text = message.Deleted ? "(deleted)" : Safe(message.Text ?? string.Empty) + (message.EditedAt is null ? string.Empty : " (edited)");
        return $"[{message.Room} #{message.Seq} {ts}] {from}{reply}: {text}";
    }

    /// <summary>A line for an event other than a message, or null for one not worth a line.</summary>
    public static string? Event(ChatEvent chatEvent) => chatEvent switch
    {
        MessageEdited e => $"* {e.By} edited #{e.Seq}: {Safe(e.Text)}",
        MessageDeleted e => $"* {e.By} deleted #{e.Seq}",
        ReactionChanged e => $"* {e.User} {(e.Added ? "reacted" : "took back")} {Safe(e.Emoji)} {(e.Added ? "to" : "from")} #{e.Seq} ({e.Count})",
        MemberModerated e => $"* {e.By} {Moderation(e)}",
        SettingsChanged e => $"* {e.By} set the topic to \"{Safe(e.Topic ?? string.Empty)}\" and slow mode to {e.SlowMode} s",
        PresenceChanged e => $"* {e.User} {Presence(e.Status)} {e.Room}",
        UserTyping e => $"* {e.User} is typing…",
        Invited e => $"* {e.By} invited you to {e.Room}",
        _ => null,
    };

    public static string Until(DateTimeOffset? until) =>
        until is { } end ? $" until {end.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}" : string.Empty;

    private static string Moderation(MemberModerated e) => e.Action switch
    {
        ModerationActions.Role => $"made {e.User} {e.Role}",
        ModerationActions.Kick => $"kicked {e.User}",
        ModerationActions.Ban => $"banned {e.User}{Until(e.Until)}",
        ModerationActions.Unban => $"unbanned {e.User}",
        ModerationActions.Mute => $"muted {e.User}{Until(e.Until)}",
        ModerationActions.Unmute => $"unmuted {e.User}",
        _ => $"did '{Safe(e.Action)}' to {e.User}",
    };

    private static string Presence(string status) => status switch
    {
        PresenceStatuses.Joined => "joined",
        PresenceStatuses.Left => "left",
        PresenceStatuses.Online => "is online in",
        PresenceStatuses.Offline => "went offline in",
        _ => $"is {Safe(status)} in",
    };
}
