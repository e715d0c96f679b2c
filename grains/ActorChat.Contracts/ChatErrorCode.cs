namespace ActorChat.Contracts;

/// <summary>Error codes of protocol v1; the wire name of each is in <see cref="ChatErrorCodes"/>.</summary>
[GenerateSerializer]
[Alias("ActorChat.ChatErrorCode")]
public enum ChatErrorCode
{
    BadRequest = 0,
    UnknownType = 1,
    BadRoom = 2,
    NotMember = 3,
    Forbidden = 4,
    TooLong = 5,
    RateLimited = 6,
    NotFound = 7,
    Internal = 8,
    Conflict = 9,
    QuotaExceeded = 10,
    SlowMode = 11,
    Muted = 12,
}

public static class ChatErrorCodes
{
    public static string WireName(this ChatErrorCode code) => code switch
    {
        ChatErrorCode.BadRequest => "bad_request",
        ChatErrorCode.UnknownType => "unknown_type",
        ChatErrorCode.BadRoom => "bad_room",
        ChatErrorCode.NotMember => "not_member",
        ChatErrorCode.Forbidden => "forbidden",
        ChatErrorCode.TooLong => "too_long",
        ChatErrorCode.RateLimited => "rate_limited",
        ChatErrorCode.NotFound => "not_found",
        ChatErrorCode.Conflict => "conflict",
        ChatErrorCode.QuotaExceeded => "quota_exceeded",
        ChatErrorCode.SlowMode => "slow_mode",
        ChatErrorCode.Muted => "muted",
        _ => "internal",
    };
}
