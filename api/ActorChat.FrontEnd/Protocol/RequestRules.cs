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
}
