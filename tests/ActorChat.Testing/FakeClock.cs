using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Streams;

namespace ActorChat.Testing;

/// <summary>
/// Puts a host on a <see cref="FakeTimeProvider"/>: ActorChat's own clock (expiry, windows, retention, grain
/// timers) moves only when a test advances it, while Orleans' own loops (membership, messaging, the directory,
/// activation collection, stream polling) keep real time, so the silo runs as usual.
/// </summary>
public static class FakeClock
{
    private static readonly string[] RealTimeAreas =
    [
        TimeProviderNames.Messaging,
        TimeProviderNames.SystemTimers,
        TimeProviderNames.Membership,
        TimeProviderNames.ActivationManagement,
        TimeProviderNames.GrainDirectory,
        StreamingTimeProviderNames.Streaming,
    ];

    public static IServiceCollection UseFakeClock(this IServiceCollection services, FakeTimeProvider clock)
    {
        services.AddSingleton<TimeProvider>(clock);
        foreach (var area in RealTimeAreas)
        {
            services.AddKeyedSingleton(area, TimeProvider.System);
        }

        return services;
    }
}
