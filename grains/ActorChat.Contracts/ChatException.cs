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

    [Id(0)]
    public ChatErrorCode Code { get; private set; } = ChatErrorCode.Internal;
}
