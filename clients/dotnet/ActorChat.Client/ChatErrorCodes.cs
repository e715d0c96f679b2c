namespace ActorChat.Client;

/// <summary>The codes of <see cref="ChatException"/>: the protocol's (docs/protocol.md, Errors) and the library's own.</summary>
public static class ChatErrorCodes
{
    public const string BadRequest = "bad_request";
    public const string UnknownType = "unknown_type";
    public const string BadRoom = "bad_room";
    public const string NotMember = "not_member";
    public const string Forbidden = "forbidden";
    public const string Muted = "muted";
    public const string SlowMode = "slow_mode";
    public const string Conflict = "conflict";
    public const string QuotaExceeded = "quota_exceeded";
    public const string TooLong = "too_long";
    public const string RateLimited = "rate_limited";
    public const string NotFound = "not_found";
    public const string Internal = "internal";

    /// <summary>The server refused the token (401), or the token provider failed: sign in again.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>The node was full: it closed the socket with 1013 before the welcome. Reconnecting waits 5 s or more.</summary>
    public const string NodeFull = "node_full";

    /// <summary>The user held as many connections on the node as it allows (close 4029 before the welcome).</summary>
    public const string TooManyConnections = "too_many_connections";

    /// <summary>The socket's one-use ticket was refused although the token bought it; a new one is needed.</summary>
    public const string TicketRefused = "ticket_refused";

    /// <summary>No reply within <see cref="ChatClientOptions.RequestTimeout"/>.</summary>
    public const string Timeout = "timeout";

    /// <summary>The connection dropped before the reply to a request that is not safe to send twice.</summary>
    public const string Disconnected = "disconnected";

    /// <summary>The client was closed, by its owner or for good (see <see cref="ConnectionStateChanged.Error"/>).</summary>
    public const string Closed = "closed";

    /// <summary>A reply the library could not read.</summary>
    public const string BadReply = "bad_reply";
}
