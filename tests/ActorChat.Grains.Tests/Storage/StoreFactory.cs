using ActorChat.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;

namespace ActorChat.Grains.Tests.Storage;

/// <summary>Opens stores outside a silo, as the silo's <c>ChatStoreHost</c> does.</summary>
internal static class StoreFactory
{
    private static readonly IServiceProvider Services = new ServiceCollection().AddSerializer().AddMetrics().BuildServiceProvider();

    public static StoreMetrics Metrics() => new(Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

    public static Task<OpenedStore> OpenAsync(StorageOptions options, TimeProvider? time = null, StoreMetrics? metrics = null) =>
        OpenedStore.OpenAsync(options, Services.GetRequiredService<Serializer>(), time ?? TimeProvider.System, metrics ?? Metrics(), NullLoggerFactory.Instance);
}
