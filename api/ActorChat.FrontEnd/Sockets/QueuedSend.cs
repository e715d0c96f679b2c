using ActorChat.Contracts;

namespace ActorChat.FrontEnd.Sockets;

/// <summary>A checked <c>send</c> or <c>dm</c> request waiting for its call: what it posts, where, and when it was read.</summary>
internal sealed record QueuedSend(string? Id, string Type, string Room, MessageDraft Draft, long Started);
