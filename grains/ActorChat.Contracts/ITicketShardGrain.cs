namespace ActorChat.Contracts;

/// <summary>
/// One of <see cref="Count"/> holders of sign-in tickets for sockets and event streams, keyed by shard number; a
/// ticket lives in the shard its key names (<see cref="Of"/>). A ticket's key is the SHA-256 (lower-case hex) of the
/// ticket, so the ticket itself is never a grain id or a log line. Held in memory only: a lost ticket costs its client
/// one more request for a new one. Any front end may issue one and any other redeem it. Shards, not a grain per
/// ticket: a grain per connect cost an activation on every connect and a grain-directory entry that outlived it.
/// </summary>
[Alias("ActorChat.ITicketShardGrain")]
public interface ITicketShardGrain : IGrainWithIntegerKey
{
    /// <summary>How many shards there are.</summary>
    const int Count = 256;

    /// <summary>The shard that holds the ticket whose key is <paramref name="key"/>: its first byte.</summary>
    static int Of(string key) => Convert.ToInt32(key[..2], 16) % Count;

    /// <summary>
    /// Stores the ticket <paramref name="key"/> for <paramref name="user"/>: it lives for <paramref name="lifetime"/> on
    /// the grain's clock, but never past <paramref name="tokenExpiresAt"/>; a connection it opens is refused if the
    /// user's tokens were revoked after <paramref name="tokenIssuedAt"/>. Returns when it expires.
    /// </summary>
    [Alias("Issue")]
    Task<DateTimeOffset> Issue(string key, string user, DateTimeOffset? tokenIssuedAt, DateTimeOffset? tokenExpiresAt, TimeSpan lifetime);

    /// <summary>What the ticket stands for, the first time it is asked and only before it expires; null after that.</summary>
    [Alias("Redeem")]
    Task<TicketGrant?> Redeem(string key);

    /// <summary>Whether the shard still holds the ticket, spent or not; for tests and diagnostics.</summary>
    [Alias("Holds")]
    Task<bool> Holds(string key);
}
