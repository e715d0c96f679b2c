namespace ActorChat.FrontEnd.Limits;

/// <summary>A request budget: <c>rate</c> tokens a second, holding at most <c>burst</c>. Safe to share between threads.</summary>
internal sealed class TokenBucket
{
    private readonly Lock _lock = new();
    private readonly double _rate;
    private readonly double _burst;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _last;

    public TokenBucket(double rate, double burst, TimeProvider time)
    {
        _rate = rate;
        _burst = burst;
        _time = time;
        _tokens = burst;
        _last = time.GetTimestamp();
    }

    /// <summary>True once the bucket has refilled: it is then no different from a new one and may be forgotten.</summary>
    public bool IsFull
    {
        get
        {
            lock (_lock)
            {
                Refill();
                return _tokens >= _burst;
            }
        }
    }

    /// <summary>Takes one token, or says how long until one is there.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        lock (_lock)
        {
            Refill();
            if (_tokens >= 1)
            {
                _tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((1 - _tokens) / _rate);
            return false;
        }
    }

    /// <summary>
    /// Takes <paramref name="tokens"/> more for a request that cost more than the one it was let in for. The budget
    /// may go into debt as deep as the work asked for (answers that ran at once each pay in full), and later
    /// requests wait it out.
    /// </summary>
    public void Charge(double tokens)
    {
        lock (_lock)
        {
            Refill();
            _tokens -= tokens;
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * _rate));
        _last = now;
    }
}
