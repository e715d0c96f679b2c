namespace ActorChat.Client;

/// <summary>
/// A refusal: an <c>error</c> reply of the server (<see cref="Code"/> is the protocol's code, such as
/// <c>not_member</c> or <c>rate_limited</c>), or one of the library's own codes (<see cref="ChatErrorCodes"/>:
/// <c>timeout</c>, <c>disconnected</c>, <c>closed</c>, <c>unauthorized</c>).
/// </summary>
public sealed class ChatException : Exception
{
    public ChatException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    public ChatException(string code, string message, long? retryAfterMs)
        : base(message)
    {
        Code = code;
        RetryAfterMs = retryAfterMs;
    }

    public string Code { get; }

    /// <summary>When to try again, for <c>rate_limited</c>, <c>slow_mode</c>, and a <c>muted</c> or banned user whose sentence has an end.</summary>
    public long? RetryAfterMs { get; }

    public TimeSpan? RetryAfter => RetryAfterMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null;

    internal static ChatException FromError(ErrorReply error) =>
        new(error.Code ?? ChatErrorCodes.Internal, error.Message ?? "The server refused.", error.RetryAfterMs);
}
