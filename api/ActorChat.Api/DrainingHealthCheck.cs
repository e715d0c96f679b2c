using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorChat.Api;

/// <summary>Not ready once the node has begun to stop, so a load balancer sends it no new sockets while it drains.</summary>
internal sealed class DrainingHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("Draining: this node is shutting down.")
            : HealthCheckResult.Healthy());
}
