using ActorChat.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace ActorChat.Grains.Hosting;

/// <summary>
/// Opens (and migrates) the store as the silo starts, before any grain runs, and closes it as the silo stops, after
/// the grains have gone: their last writes are in. A store that cannot open stops the silo's start with the reason.
/// </summary>
internal sealed class ChatStoreHost(
    IOptions<StorageOptions> options,
    Serializer serializer,
    TimeProvider time,
    StoreMetrics metrics,
    IOutbox outbox,
    ILoggerFactory loggers) : ILifecycleParticipant<ISiloLifecycle>
{
    private OpenedStore? _opened;

    public IChatStore Store => _opened?.Store ?? throw new InvalidOperationException("The store is not open yet: the silo has not started.");

    public IWebhookStore Webhooks => _opened?.Webhooks ?? throw new InvalidOperationException("The store is not open yet: the silo has not started.");

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ChatStoreHost), ServiceLifecycleStage.RuntimeInitialize, OpenAsync, CloseAsync);

    private async Task OpenAsync(CancellationToken cancellationToken) =>
        _opened = await OpenedStore.OpenAsync(options.Value, serializer, time, metrics, loggers, outbox);

    private async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (_opened is not null)
        {
            await _opened.DisposeAsync();
            _opened = null;
        }
    }
}
