namespace ActorChat.Bench.Load;

/// <summary>Exact latency samples (microseconds) from many threads; percentiles by sorting once at the end.</summary>
internal sealed class LatencyRecorder(int capacity)
{
    private readonly long[] _samples = new long[capacity];
    private int _count;

    public int Count => Math.Min(Volatile.Read(ref _count), _samples.Length);

    public void Record(long microseconds)
    {
        var index = Interlocked.Increment(ref _count) - 1;
        // Past capacity a sample is not kept; capacities are sized from the expected count.
        if (index < _samples.Length)
        {
            _samples[index] = microseconds;
        }
    }

    public LatencySummary Summarize()
    {
        var count = Count;
        if (count == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0);
        }

        var sorted = _samples.AsSpan(0, count).ToArray();
        Array.Sort(sorted);
        double At(double q) => sorted[Math.Min(count - 1, (int)Math.Ceiling(q * count) - 1)] / 1000.0;
        return new LatencySummary(count, sorted.Average() / 1000.0, At(0.50), At(0.99), At(0.999), sorted[^1] / 1000.0);
    }
}

/// <summary>Latency in milliseconds.</summary>
internal sealed record LatencySummary(int Count, double MeanMs, double P50Ms, double P99Ms, double P999Ms, double MaxMs);
