using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ActorChat.ServiceDefaults;

/// <summary>What every host process of ActorChat adds and maps, so the front end and the silo host look alike to operators.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// Telemetry (with the host's own <paramref name="meters"/> and activity <paramref name="sources"/>), health
    /// checks, and the management listener with the dashboard's access settings.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string[] meters, string[] sources)
    {
        builder.AddTelemetry(meters, sources);
        builder.Services.AddHealthChecks();
        builder.AddManagementListener();
        return builder;
    }

    /// <summary><c>/health/live</c> and <c>/health/ready</c>, <c>/metrics</c> and <c>/dashboard</c>.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthEndpoints();
        app.MapMetrics();
        app.MapDashboard();
        return app;
    }
}
