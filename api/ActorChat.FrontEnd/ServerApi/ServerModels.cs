using ActorChat.FrontEnd.Endpoints;

namespace ActorChat.FrontEnd.ServerApi;

/// <summary><c>sender</c>: the bot's name (a user id's shape; the key's name when absent); <c>kind</c>: <c>bot</c> (default) or <c>system</c>.</summary>
internal sealed record ServerPostRequest(string? Text, string? ClientMsgId, string? Sender, string? Kind, long? ReplyTo, IReadOnlyList<string?>? Mentions);

internal sealed record CreateRoomRequest(string? Room, string? Owner, bool? Private, IReadOnlyList<string?>? Members);

internal sealed record MembershipChange(string Room, string User, bool Changed);

internal sealed record DisconnectRequest(bool? RevokeTokens);

internal sealed record Disconnected(string User, bool TokensRevoked);

internal sealed record ErasedUser(string User, IReadOnlyList<string> Rooms);

/// <summary>One member; <paramref name="Online"/> is null in a room above the presence limit, where it is not tracked.</summary>
internal sealed record MemberView(string User, bool? Online, string Role);

internal sealed record MembersView(string Room, IReadOnlyList<MemberView> Members, bool HasMore);

internal sealed record DeadLetterView(string EventId, string Endpoint, string Type, int Attempts, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset FailedAt);

internal sealed record DeadLettersView(IReadOnlyList<DeadLetterView> DeadLetters);

internal sealed record Replayed(string EventId, int Deliveries);

/// <summary>The room as the server API sees it (same shape as the user API's).</summary>
internal static class ServerViews
{
    public static RoomView Room(Contracts.RoomInfo info) =>
        new(info.Room, info.MemberCount, info.LastSeq, info.IsDirect, info.IsPrivate, info.Topic, info.SlowModeSeconds);
}
