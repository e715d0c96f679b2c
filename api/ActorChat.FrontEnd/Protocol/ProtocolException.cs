using ActorChat.Contracts;

namespace ActorChat.FrontEnd.Protocol;

/// <summary>A request the front end refuses before any grain sees it.</summary>
internal sealed class ProtocolException(ChatErrorCode code, string message) : Exception(message)
{
    public ChatErrorCode Code { get; } = code;
}
