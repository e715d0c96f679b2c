using ActorChat.Bench.Load;

namespace ActorChat.Bench.Scenarios;

internal static class Publisher
{
    /// <summary>
    /// Sends stamped messages at <paramref name="rate"/> per second for <paramref name="duration"/>, without waiting
    /// for each acknowledgement (at most <paramref name="window"/> in flight), then waits for the rest.
    /// </summary>
    public static async Task<int> RunAsync(IChatDriver publisher, string room, double rate, TimeSpan duration, int size, Progress progress, CancellationToken cancellationToken, int window = 2000)
    {
        var inFlight = new List<Task>();
        var start = Clock.Now;
        var sent = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        while (true)
        {
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(start);
            if (elapsed >= duration)
            {
                break;
            }

            var due = (int)(rate * elapsed.TotalSeconds) - sent;
            for (var i = 0; i < due; i++)
            {
                inFlight.Add(publisher.SendAsync(room, Clock.Stamp(size)));
                sent++;
                progress.SentOne();
            }

            if (inFlight.Count > window)
            {
                if (!await AcknowledgedAsync(inFlight, cancellationToken))
                {
                    return sent;
                }

                inFlight.Clear();
            }

            await timer.WaitForNextTickAsync(cancellationToken);
        }

        await AcknowledgedAsync(inFlight, cancellationToken);
        return sent;
    }

    /// <summary>
    /// Waits for the sends' acknowledgements, but not forever: a server past its ceiling may drop some, and the
    /// step then ends as incomplete (fewer deliveries than sent) instead of hanging the run.
    /// </summary>
    private static async Task<bool> AcknowledgedAsync(List<Task> inFlight, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(inFlight).WaitAsync(AcknowledgementTimeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static readonly TimeSpan AcknowledgementTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Waits until <paramref name="received"/> reaches <paramref name="expected"/> or nothing arrives for <paramref name="quiet"/>.</summary>
    public static async Task DrainAsync(Func<long> received, long expected, TimeSpan quiet, CancellationToken cancellationToken)
    {
        var last = received();
        var since = Clock.Now;
        while (received() < expected)
        {
            await Task.Delay(20, cancellationToken);
            var now = received();
            if (now != last)
            {
                last = now;
                since = Clock.Now;
            }
            else if (System.Diagnostics.Stopwatch.GetElapsedTime(since) > quiet)
            {
                return;
            }
        }
    }
}
