using System.Diagnostics.Metrics;

namespace ActorChat.Grains.Webhooks;

/// <summary>The webhooks' meter, <c>ActorChat.Webhooks</c> (listed in docs/operations.md).</summary>
internal sealed class WebhookMetrics : IDisposable
{
    public const string MeterName = "ActorChat.Webhooks";

    private readonly Meter _meter;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _dead;
    private double _oldestPendingSeconds;

    public WebhookMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _delivered = _meter.CreateCounter<long>("actorchat.webhooks.delivered", "{delivery}", "Webhook deliveries a receiver accepted (2xx), by endpoint.");
        _retried = _meter.CreateCounter<long>("actorchat.webhooks.retried", "{attempt}", "Webhook attempts that failed and will be tried again, by endpoint.");
        _dead = _meter.CreateCounter<long>("actorchat.webhooks.dead_lettered", "{delivery}", "Webhook deliveries given up after their last attempt, by endpoint.");
        _meter.CreateObservableGauge("actorchat.webhooks.oldest_pending_age", () => Volatile.Read(ref _oldestPendingSeconds), "s",
            "Age of the oldest event still waiting for a delivery (0 when none waits).");
    }

    public void Delivered(string endpoint) => _delivered.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint));

    public void Retried(string endpoint) => _retried.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint));

    public void DeadLettered(string endpoint) => _dead.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint));

    public void OldestPending(TimeSpan age) => Volatile.Write(ref _oldestPendingSeconds, age.TotalSeconds);

    public void Dispose() => _meter.Dispose();
}
