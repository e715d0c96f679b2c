using System.Globalization;
using ActorChat.Contracts;

namespace ActorChat.FrontEnd.Protocol;

/// <summary>Field rules shared by the socket protocol and the REST API, so both refuse the same input the same way.</summary>
internal static class RequestRules
{
    /// <summary>A room a client may name: a public room id or a canonical <c>dm:</c> id.</summary>
    public static string Room(string? room)
    {
        if (room is null)
        {
            throw new ProtocolException(ChatErrorCode.BadRequest, "room is required.");
        }

        return ChatIds.IsValidRoom(room)
            ? room
            : throw new ProtocolException(ChatErrorCode.BadRoom, "room must match ^[a-z0-9][a-z0-9._-]{0,63}$ (dm: ids are made by the server).");
    }

    /// <summary>A room a client may create or join by name: never a <c>dm:</c> id it made up for someone else.</summary>
    public static string JoinableRoom(string? room, string user)
    {
        var valid = Room(room);
        if (ChatIds.TryParseDirect(valid, out var a, out var b) && a != user && b != user)
        {
            throw new ProtocolException(ChatErrorCode.Forbidden, "Only its two participants can use a direct conversation.");
        }

        return valid;
    }

    public static string Text(string? text, ChatLimits limits)
    {
        if (text is null)
        {
            throw new ProtocolException(ChatErrorCode.BadRequest, "text is required.");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ProtocolException(ChatErrorCode.BadRequest, "text must not be blank.");
        }

        return text.Length > limits.MaxTextLength
            ? throw new ProtocolException(ChatErrorCode.TooLong, $"text is longer than {limits.MaxTextLength} characters.")
            : text;
    }

    public static string? ClientMsgId(string? clientMsgId, ChatLimits limits) =>
        clientMsgId is { Length: 0 } || clientMsgId?.Length > limits.MaxIdLength
            ? throw new ProtocolException(ChatErrorCode.BadRequest, $"clientMsgId must be 1 to {limits.MaxIdLength} characters.")
            : clientMsgId;

    public static string User(string? user, string field) =>
        ChatIds.IsValidUser(user)
            ? user!
            : throw new ProtocolException(ChatErrorCode.BadRequest, $"{field} must match ^[A-Za-z0-9][A-Za-z0-9._-]{{0,63}}$.");

    /// <summary>Who a message mentions: user ids, at most <see cref="ChatLimits.MaxMentions"/>.</summary>
    public static IReadOnlyList<string>? Mentions(IReadOnlyList<string?>? mentions, ChatLimits limits)
    {
        if (mentions is null)
        {
            return null;
        }

        return mentions.Count > limits.MaxMentions
            ? throw new ProtocolException(ChatErrorCode.BadRequest, $"A message may mention at most {limits.MaxMentions} users.")
            : [.. mentions.Select(m => User(m, "mentions"))];
    }

    public static string Emoji(string? emoji) =>
        Contracts.Emoji.IsValid(emoji)
            ? emoji!
            : throw new ProtocolException(ChatErrorCode.BadRequest, "emoji must be one emoji.");

    public static RoomRole Role(string? role) => role switch
    {
        "owner" => RoomRole.Owner,
        "admin" => RoomRole.Admin,
        "member" => RoomRole.Member,
        _ => throw new ProtocolException(ChatErrorCode.BadRequest, "role must be owner, admin or member."),
    };

    /// <summary>An ISO 8601 time that states its offset (<c>Z</c> or <c>+01:00</c>): a local time would mean another instant on every server.</summary>
    public static DateTimeOffset Time(string text, string field)
    {
        var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        return hasOffset && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            ? value
            : throw new ProtocolException(ChatErrorCode.BadRequest, $"{field} must be an ISO 8601 time with an offset, such as 2026-12-01T09:00:00Z.");
    }
}
