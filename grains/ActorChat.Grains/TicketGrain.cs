using ActorChat.Contracts;

namespace ActorChat.Grains;

/// <summary>
/// A one-use ticket in memory. It deactivates once redeemed, asked for in vain, or expired, so a spent or unused
/// ticket holds nothing: a later redeem finds a fresh activation without a grant and gets null.
/// </summary>
internal sealed class TicketGrain(TimeProvider time) : Grain, ITicketGrain
{
    private TicketGrant? _grant;
    private IGrainTimer? _expiry;

    public Task<DateTimeOffset> Issue(string user, DateTimeOffset? tokenExpiresAt, TimeSpan lifetime) =>
        Issue(user, tokenIssuedAt: null, tokenExpiresAt, lifetime);

    public Task<DateTimeOffset> Issue(string user, DateTimeOffset? tokenIssuedAt, DateTimeOffset? tokenExpiresAt, TimeSpan lifetime)
    {
        // Keys are hashes of 32 random bytes, so a second issue means a bug, not a collision.
        if (_grant is not null)
        {
            throw new InvalidOperationException("This ticket was issued already.");
        }

        var expiresAt = time.GetUtcNow() + lifetime;
        if (tokenExpiresAt < expiresAt)
        {
            expiresAt = tokenExpiresAt.Value;
        }

        _grant = new TicketGrant(user, tokenExpiresAt, expiresAt, tokenIssuedAt);
        _expiry = this.RegisterGrainTimer(Expire, new GrainTimerCreationOptions(Max(expiresAt - time.GetUtcNow(), TimeSpan.Zero), Timeout.InfiniteTimeSpan));
        return Task.FromResult(expiresAt);
    }

    public Task<TicketGrant?> Redeem()
    {
        var grant = _grant;
        Forget();
        return Task.FromResult(grant is not null && time.GetUtcNow() < grant.ExpiresAt ? grant : null);
    }

    private Task Expire(CancellationToken cancellationToken)
    {
        Forget();
        return Task.CompletedTask;
    }

    private void Forget()
    {
        _grant = null;
        _expiry?.Dispose();
        _expiry = null;
        DeactivateOnIdle();
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
