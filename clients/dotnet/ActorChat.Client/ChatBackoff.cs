namespace ActorChat.Client;

/// <summary>
/// Delays between reconnect attempts: <c>min(Max, Initial × Factor^attempt)</c>, half of it fixed and half random
/// ("equal jitter"), so clients cut off together do not all come back in the same moment, and none comes back at once.
/// </summary>
public sealed record ChatBackoff(TimeSpan Initial, TimeSpan Max, double Factor = 2)
{
    public static ChatBackoff Default { get; } = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));

    /// <summary>The delay before attempt <paramref name="attempt"/> (0 for the first), with <paramref name="sample"/> in [0, 1) as the random part.</summary>
    public TimeSpan Delay(int attempt, double sample)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var ceiling = Math.Min(Max.TotalMilliseconds, Initial.TotalMilliseconds * Math.Pow(Factor, attempt));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Math.Clamp(sample, 0, 1) * ceiling / 2));
    }

    public TimeSpan Delay(int attempt) => Delay(attempt, Random.Shared.NextDouble());

    /// <summary>
    /// The delay before attempt <paramref name="attempt"/> after <paramref name="error"/>: after a node turned the
    /// socket away for its limits (<c>node_full</c>, <c>too_many_connections</c>) never less than
    /// <see cref="TurnedAwayDelay"/> plus up to as much again, <paramref name="sample"/> in [0, 1) choosing where.
    /// </summary>
    public TimeSpan DelayAfter(int attempt, Exception? error, double sample)
    {
        var delay = Delay(attempt, sample);
        return error is ChatException { Code: ChatErrorCodes.NodeFull or ChatErrorCodes.TooManyConnections }
            ? TimeSpan.FromMilliseconds(Math.Max(delay.TotalMilliseconds, TurnedAwayDelay.TotalMilliseconds * (1 + Math.Clamp(sample, 0, 1))))
            : delay;
    }

    public TimeSpan DelayAfter(int attempt, Exception? error) => DelayAfter(attempt, error, Random.Shared.NextDouble());

    /// <summary>The least wait before asking again a node that turned a socket away (5 s: docs/protocol.md, close code 1013).</summary>
    public static TimeSpan TurnedAwayDelay { get; } = TimeSpan.FromSeconds(5);
}
