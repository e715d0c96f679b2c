using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorChat.Silo;

/// <summary>Ready once this silo is an active member of its cluster.</summary>
internal sealed class SiloHealthCheck(ISiloStatusOracle oracle) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(oracle.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy("Silo active")
            : HealthCheckResult.Unhealthy($"Silo {oracle.CurrentStatus}"));
}
