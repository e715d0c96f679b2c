using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Orleans.Streams;

namespace ActorChat.Api.Tests;

/// <summary>
/// A front end whose clock (the <see cref="TimeProvider"/> grains and the front end use) is a
/// <see cref="FakeTimeProvider"/> the tests move, and whose every log line, down to Debug, is kept in
/// <see cref="Logs"/>. Orleans' own loops (membership, messaging, directory, activation collection, streams) stay on
/// the real clock, so the silo runs as usual while tickets expire when a test says so.
/// </summary>
public sealed class TicketClockServer : ChatServer
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

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Logging:LogLevel:Default", "Debug");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Debug");
        builder.UseSetting("Logging:LogLevel:Orleans", "Debug");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            foreach (var area in RealTimeAreas)
            {
                services.AddKeyedSingleton(area, TimeProvider.System);
            }
        });
    }
}
