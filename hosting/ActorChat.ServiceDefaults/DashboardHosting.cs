using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace ActorChat.ServiceDefaults;

/// <summary>
/// Whether this process takes part in the Orleans dashboard. The dashboard gathers every Orleans metric once a second
/// whether or not anyone looks (a tenth of a core at low load in the fan-out profile, in bursts that show in the
/// p99), so it runs only where it is served: with <c>ActorChat:Dashboard:Key</c>, or in the Development environment.
/// Silos of a cluster whose front ends serve it need the key too.
/// </summary>
public static class DashboardHosting
{
    public static bool IsOn(IConfiguration configuration, IHostEnvironment environment) =>
        !string.IsNullOrEmpty(configuration[$"{DashboardAccessOptions.Section}:Key"]) || environment.IsDevelopment();
}
