namespace ActorChat.Contracts;

/// <summary>An event published on a user's stream, reaching every connection of that user.</summary>
[GenerateSerializer]
[Alias("ActorChat.UserEvent")]
public abstract record UserEvent;

/// <summary>A direct message for the user, delivered whether or not the connection joined the <c>dm:</c> room.</summary>
[GenerateSerializer]
[Alias("ActorChat.DirectMessageReceived")]
[Immutable]
public sealed record DirectMessageReceived([property: Id(0)] ChatMessage Message) : UserEvent;

/// <summary>A member of a room invited the user; every connection of the user hears it.</summary>
[GenerateSerializer]
[Alias("ActorChat.InvitationReceived")]
[Immutable]
public sealed record InvitationReceived([property: Id(0)] Invitation Invitation) : UserEvent;

/// <summary>
/// A backend ended the user's sessions (server API): every connection of the user closes, on every front end; with
/// <see cref="TokensRevoked"/>, tokens issued before <see cref="At"/> are no longer accepted either.
/// </summary>
[GenerateSerializer]
[Alias("ActorChat.SessionsEnded")]
[Immutable]
public sealed record SessionsEnded([property: Id(0)] DateTimeOffset At, [property: Id(1)] bool TokensRevoked) : UserEvent;
