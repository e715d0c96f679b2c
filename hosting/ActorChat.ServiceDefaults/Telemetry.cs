using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ActorChat.ServiceDefaults;

/// <summary>
/// Metrics and traces through OpenTelemetry, for front ends and silo hosts alike: Orleans', ASP.NET Core's and the
/// runtime's, plus the meters and activity sources the host names; metrics scraped at <c>/metrics</c>
/// (Prometheus), and both pushed over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
internal static class Telemetry
{
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder, string[] meters, string[] sources)
    {
        var otlp = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry();

        // Spans cost on every request and grain call, so they are recorded only when there is somewhere to send them.
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource([.. sources, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"])
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter());
        }

        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter([.. meters, "Microsoft.Orleans"])
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
            if (otlp)
            {
                metrics.AddOtlpExporter();
            }
        });
        return builder;
    }

    public static WebApplication MapMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
