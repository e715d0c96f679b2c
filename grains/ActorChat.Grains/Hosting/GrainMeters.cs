using ActorChat.Grains.Webhooks;
using ActorChat.Storage;

namespace ActorChat.Grains.Hosting;

/// <summary>The meters a silo's grains report on, for the host's metrics exporter.</summary>
public static class GrainMeters
{
    /// <summary>Storage (write queue, commits, bytes) and webhooks (delivered, retried, dead-lettered, oldest pending).</summary>
    public static IReadOnlyList<string> Names { get; } = [StoreMetrics.MeterName, WebhookMetrics.MeterName];
}
