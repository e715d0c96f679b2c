namespace ActorChat.Contracts;

/// <summary>
/// The previous release's ticket holder, kept so that its front ends can still issue and redeem tickets while a
/// rolling upgrade replaces them (silos go first); this release's front ends use <see cref="ITicketShardGrain"/>.
/// To be removed in the release after this one. One sign-in ticket for a socket or an event stream, keyed by the SHA-256 (lower-case hex) of the ticket, so the
/// ticket itself is never a grain id in the dashboard or a log. Held in memory only: a lost ticket costs its client
/// one more request for a new one. Any front end may issue it and any other may redeem it.
/// </summary>
[Alias("ActorChat.ITicketGrain")]
public interface ITicketGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores the ticket for <paramref name="user"/>; it lives for <paramref name="lifetime"/> on this grain's clock,
    /// but never past <paramref name="tokenExpiresAt"/>. Returns when it expires.
    /// </summary>
    [Alias("Issue")]
    Task<DateTimeOffset> Issue(string user, DateTimeOffset? tokenExpiresAt, TimeSpan lifetime);

    /// <summary>
    /// Like <see cref="Issue(string, DateTimeOffset?, TimeSpan)"/>, remembering when the bearer token was issued, so a
    /// connection the ticket opens is refused if the user's tokens were revoked in between.
    /// </summary>
    [Alias("IssueForToken")]
    Task<DateTimeOffset> Issue(string user, DateTimeOffset? tokenIssuedAt, DateTimeOffset? tokenExpiresAt, TimeSpan lifetime);

    /// <summary>What the ticket stands for, the first time it is asked and only before it expires; null after that.</summary>
    [Alias("Redeem")]
    Task<TicketGrant?> Redeem();
}
