using System.Threading.RateLimiting;

namespace ActorChat.FrontEnd.Limits;

/// <summary>
/// ASP.NET Core's rate limiter for one caller, drawing on the same budget as the caller's sockets
/// (<see cref="RequestBudgets"/>). The middleware may drop it when idle; the budget itself lives on.
/// </summary>
internal sealed class BudgetLimiter(RequestBudgets budgets, string caller, TimeProvider time) : RateLimiter
{
    private long _lastUsed = time.GetTimestamp();

    public override TimeSpan? IdleDuration => time.GetElapsedTime(Volatile.Read(ref _lastUsed));

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        Volatile.Write(ref _lastUsed, time.GetTimestamp());
        if (permitCount == 0)
        {
            return BudgetLease.Granted;
        }

        return budgets.TryTake(caller, out var retryAfter) ? BudgetLease.Granted : new BudgetLease(retryAfter);
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private sealed class BudgetLease : RateLimitLease
    {
        public static readonly BudgetLease Granted = new(null);

        private readonly TimeSpan? _retryAfter;

        public BudgetLease(TimeSpan? retryAfter) => _retryAfter = retryAfter;

        public override bool IsAcquired => _retryAfter is null;

        public override IEnumerable<string> MetadataNames => _retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = _retryAfter;
            return _retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
