using ActorChat.Contracts;

namespace ActorChat.Grains;

/// <summary>
/// A shard of one-use tickets in memory. A ticket leaves when redeemed or, unused, at the first sweep after its
/// expiry; the sweep runs only while the shard holds any, so an idle shard costs nothing but its activation.
/// </summary>
internal sealed class TicketShardGrain(TimeProvider time) : Grain, ITicketShardGrain
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, TicketGrant> _tickets = new(StringComparer.Ordinal);
    private IGrainTimer? _sweep;

    public Task<DateTimeOffset> Issue(string key, string user, DateTimeOffset? tokenIssuedAt, DateTimeOffset? tokenExpiresAt, TimeSpan lifetime)
    {
        var expiresAt = time.GetUtcNow() + lifetime;
        if (tokenExpiresAt < expiresAt)
        {
            expiresAt = tokenExpiresAt.Value;
        }

        // Keys are hashes of 32 random bytes, so a second issue means a bug, not a collision.
        if (!_tickets.TryAdd(key, new TicketGrant(user, tokenExpiresAt, expiresAt, tokenIssuedAt)))
        {
            throw new InvalidOperationException("This ticket was issued already.");
        }

        _sweep ??= this.RegisterGrainTimer(Sweep, new GrainTimerCreationOptions(SweepEvery, SweepEvery));
        return Task.FromResult(expiresAt);
    }

    public Task<TicketGrant?> Redeem(string key) =>
        Task.FromResult(_tickets.Remove(key, out var grant) && time.GetUtcNow() < grant.ExpiresAt ? grant : null);

    public Task<bool> Holds(string key) => Task.FromResult(_tickets.ContainsKey(key));

    private Task Sweep(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var (key, grant) in _tickets)
        {
            if (grant.ExpiresAt <= now)
            {
                _tickets.Remove(key);
            }
        }

        if (_tickets.Count == 0)
        {
            // A burst of tickets must not leave its table's size behind.
            _tickets.TrimExcess();
            _sweep?.Dispose();
            _sweep = null;
        }

        return Task.CompletedTask;
    }
}
