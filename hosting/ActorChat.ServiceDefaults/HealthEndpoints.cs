using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorChat.ServiceDefaults;

/// <summary>
/// The probes of every host: <c>/health/live</c> runs no check (the process answers), <c>/health/ready</c> runs every
/// check registered with <see cref="AddReadinessCheck{T}"/>, so a load balancer or Kubernetes sends traffic only
/// once the host's own conditions hold.
/// </summary>
public static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    /// <summary>Adds a check that <c>/health/ready</c> runs.</summary>
    public static IHealthChecksBuilder AddReadinessCheck<T>(this IHealthChecksBuilder builder, string name)
        where T : class, IHealthCheck =>
        builder.AddCheck<T>(name, tags: [ReadyTag]);

    internal static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        // Anonymous even where the host's authorization would otherwise ask for a user: probes carry no token.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) }).AllowAnonymous();
        return app;
    }
}
