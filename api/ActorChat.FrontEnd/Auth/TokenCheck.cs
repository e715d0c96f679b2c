namespace ActorChat.FrontEnd.Auth;

/// <summary>What <see cref="TokenValidator.CheckAsync"/> found: the user the token signs in, or the reason it does not.</summary>
internal readonly record struct TokenCheck(string? User, DateTimeOffset? IssuedAt, DateTimeOffset? ExpiresAt, string? Refusal)
{
    public static TokenCheck Refused(string reason) => new(null, null, null, reason);
}
