using ActorChat.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorChat.ServiceDefaults;

/// <summary>
/// What operators use (the dashboard, metrics) kept apart from what users reach. With
/// <c>ActorChat:Management:Urls</c> set, Kestrel also listens there, <c>/dashboard</c> and <c>/metrics</c> answer only
/// there (404 on the public listener), and the management listener serves only those and the health probes.
/// </summary>
internal static partial class ManagementListener
{
    public static WebApplicationBuilder AddManagementListener(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ManagementOptions, ManagementOptionsValidator>(ManagementOptions.Section);
        builder.Services.AddValidatedOptions<DashboardAccessOptions, DashboardAccessOptionsValidator>(DashboardAccessOptions.Section);
        builder.Services.AddTransient<IStartupFilter, ManagementStartupFilter>();
        return builder;
    }

    /// <summary>Paths only operators should reach.</summary>
    public static bool IsManagementPath(PathString path) =>
        path.StartsWithSegments(DashboardAccess.Path) || path.StartsWithSegments("/metrics");

    private static bool IsHealthPath(PathString path) => path.StartsWithSegments("/health");

    /// <summary>
    /// Adds the management addresses to the server's and puts the port check in front of everything else. A startup
    /// filter because both must happen after the host has read the public URLs (<c>--urls</c>, <c>ASPNETCORE_URLS</c>)
    /// into the server's address list and before the server binds them: Kestrel endpoints defined in code instead
    /// would make Kestrel ignore those URLs. A port check, not <c>RequireHost</c>: that matches the Host header,
    /// which the caller writes.
    /// </summary>
    private sealed class ManagementStartupFilter(IServer server, IOptions<ManagementOptions> options, ILogger<ManagementStartupFilter> logger) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            var management = options.Value.Addresses;
            if (management.Count > 0)
            {
                var ports = management.Select(a => a.Port).ToHashSet();
                if (server.Features.Get<IServerAddressesFeature>()?.Addresses is { IsReadOnly: false } addresses)
                {
                    // Nothing configured means Kestrel's default; adding ours must not take that away.
                    if (addresses.Count == 0)
                    {
                        addresses.Add("http://localhost:5000");
                    }

                    if (addresses.Select(BindingAddress.Parse).FirstOrDefault(a => ports.Contains(a.Port)) is { } shared)
                    {
                        throw new InvalidOperationException($"ActorChat:Management:Urls: port {shared.Port} is a public port too; the management listener needs its own.");
                    }

                    foreach (var address in management)
                    {
                        addresses.Add(address.ToString());
                    }
                }

                LogListening(logger, options.Value.Urls!);
                app.Use((context, nextMiddleware) =>
                {
                    var path = context.Request.Path;
                    var allowed = ports.Contains(context.Connection.LocalPort)
                        ? IsManagementPath(path) || IsHealthPath(path)
                        : !IsManagementPath(path);
                    if (allowed)
                    {
                        return nextMiddleware(context);
                    }

                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                });
            }

            next(app);
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Management listener on {Urls}: /dashboard and /metrics are served there only")]
    private static partial void LogListening(ILogger logger, string urls);
}
