using System.Collections.Concurrent;
using ActorChat.FrontEnd.Connections;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.Limits;

/// <summary>
/// One request budget per user (or per anonymous caller) on this node, shared by every path the user takes:
/// each socket request, each event stream opened, each REST call. Twenty sockets or a burst of REST calls buy a
/// user no more than one socket does.
/// </summary>
internal sealed class RequestBudgets : IDisposable
{
    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);
    private readonly SocketOptions _options;
    private readonly TimeProvider _time;
    private readonly ITimer _sweep;

    public RequestBudgets(IOptions<SocketOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;

        // A bucket that has refilled is the same as a new one; forgetting it keeps this map to the active callers.
        var every = TimeSpan.FromSeconds(Math.Clamp(_options.RequestBurst / _options.RequestsPerSecond, 1, 60));
        _sweep = time.CreateTimer(_ => Sweep(), null, every, every);
    }

    /// <summary>Buckets held now (callers active within the refill time).</summary>
    public int Count => _buckets.Count;

    /// <summary>Takes one request from <paramref name="caller"/>'s budget, or says when the next one is allowed.</summary>
    public bool TryTake(string caller, out TimeSpan retryAfter) => BucketOf(caller).TryTake(out retryAfter);

    /// <summary>Charges <paramref name="caller"/> <paramref name="tokens"/> more for a request that cost more than one (<see cref="TokenBucket.Charge"/>).</summary>
    public void Charge(string caller, double tokens)
    {
        if (tokens > 0)
        {
            BucketOf(caller).Charge(tokens);
        }
    }

    public void Dispose() => _sweep.Dispose();

    private TokenBucket BucketOf(string caller) =>
        _buckets.GetOrAdd(caller, static (_, self) => new TokenBucket(self._options.RequestsPerSecond, self._options.RequestBurst, self._time), this);

    private void Sweep()
    {
        foreach (var (caller, bucket) in _buckets)
        {
            if (bucket.IsFull)
            {
                _buckets.TryRemove(new KeyValuePair<string, TokenBucket>(caller, bucket));
            }
        }
    }
}
