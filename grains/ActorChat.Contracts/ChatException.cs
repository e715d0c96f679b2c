namespace ActorChat.Contracts;

/// <summary>A refusal a grain gives on purpose; front ends turn it into a protocol error with the same code.</summary>
[GenerateSerializer]
[Alias("ActorChat.ChatException")]
public sealed class ChatException : Exception
{
    public ChatException()
    {
    }

    public ChatException(string message)
        : base(message)
    {
    }

    public ChatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ChatException(ChatErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    public ChatException(ChatErrorCode code, string message, DateTimeOffset retryAt)
        : base(message)
    {
        Code = code;
        RetryAt = retryAt;
    }

    [Id(0)]
    public ChatErrorCode Code { get; private set; } = ChatErrorCode.Internal;

    /// <summary>When the refused request may succeed (slow mode): front ends say it as <c>retryAfterMs</c>.</summary>
    [Id(1)]
    public DateTimeOffset? RetryAt { get; private set; }
}
