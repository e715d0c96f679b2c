namespace ActorChat.Contracts;

/// <summary>
/// What a ticket stands for: the user, when the bearer token it was bought with expires (the socket it opens ends
/// then, as one opened with the token would), when the ticket itself expires, and when the token was issued (a
/// revocation of the user's tokens refuses its tickets too).
/// </summary>
[GenerateSerializer]
[Alias("ActorChat.TicketGrant")]
[Immutable]
public sealed record TicketGrant(
    [property: Id(0)] string User,
    [property: Id(1)] DateTimeOffset? TokenExpiresAt,
    [property: Id(2)] DateTimeOffset ExpiresAt,
    [property: Id(3)] DateTimeOffset? TokenIssuedAt = null);
