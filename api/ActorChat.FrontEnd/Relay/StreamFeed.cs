using ActorChat.Contracts;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace ActorChat.FrontEnd.Relay;

/// <summary>
/// One stream subscription of this node, on behalf of its local connections: subscribing, resuming after the
/// cluster connection came back, and ending it, the same for a room, a user and the room directory. Subclasses say
/// when, and what an event becomes.
/// </summary>
internal abstract partial class StreamFeed<T>(IClusterClient client, StreamId stream, ILogger logger) : IAsyncObserver<T>
{
    private StreamSubscriptionHandle<T>? _handle;

    protected IClusterClient Client => client;

    protected ILogger Logger => logger;

    protected bool IsSubscribed => _handle is not null;

    public abstract Task OnNextAsync(T item, StreamSequenceToken? token = null);

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(logger, ex, stream.ToString());
        return Task.CompletedTask;
    }

    protected async Task SubscribeAsync() => _handle = await Stream.SubscribeAsync(this);

    /// <summary>
    /// Resumes the subscription the pub-sub store still holds for this node (dropping any extras, which would
    /// deliver twice), or subscribes anew when there is none.
    /// </summary>
    protected async Task ResumeAsync()
    {
        var existing = await Stream.GetAllSubscriptionHandles();
        if (existing.Count == 0)
        {
            await SubscribeAsync();
            return;
        }

        foreach (var extra in existing.Skip(1))
        {
            await extra.UnsubscribeAsync();
        }

        _handle = await existing[0].ResumeAsync(this);
    }

    /// <summary>Ends the subscription. A failure is logged, not thrown: nobody here wants the events any more.</summary>
    protected async Task UnsubscribeAsync()
    {
        var handle = _handle;
        _handle = null;
        try
        {
            if (handle is not null)
            {
                await handle.UnsubscribeAsync();
            }
        }
        catch (Exception ex)
        {
            LogUnsubscribeFailed(logger, ex, stream.ToString());
        }
    }

    private IAsyncStream<T> Stream => client.GetStreamProvider(ChatProviders.Streams).GetStream<T>(stream);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {Stream} reported an error")]
    private static partial void LogStreamError(ILogger logger, Exception exception, string stream);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unsubscribing from stream {Stream} failed")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception, string stream);
}
