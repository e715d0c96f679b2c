using System.Threading.Channels;
using Orleans.Streams;

namespace ActorChat.Grains.Tests;

/// <summary>
/// Collects events (a stream's, or what a grain tells an observer probe) so a test can await the next one (with a
/// deadline, never a sleep).
/// </summary>
public sealed class EventProbe<T> : IAsyncObserver<T>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly Channel<T> _events = Channel.CreateUnbounded<T>();

    /// <summary>Events collected and not yet taken.</summary>
    public int Pending => _events.Reader.Count;

    public void Add(T item) => _events.Writer.TryWrite(item);

    /// <summary>
    /// The next event, passing over those <paramref name="stale"/> matches: a new subscriber may still be handed
    /// events published just before it subscribed.
    /// </summary>
    public async Task<T> NextAsync(Func<T, bool>? stale = null)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        while (true)
        {
            var item = await _events.Reader.ReadAsync(timeout.Token);
            if (stale is null || !stale(item))
            {
                return item;
            }
        }
    }

    public Task OnNextAsync(T item, StreamSequenceToken? token = null) => _events.Writer.WriteAsync(item).AsTask();

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}

public static class EventProbe
{
    public static async Task<(EventProbe<T> Probe, StreamSubscriptionHandle<T> Handle)> SubscribeAsync<T>(IClusterClient client, StreamId stream)
    {
        var probe = new EventProbe<T>();
        var handle = await client.GetStreamProvider(Contracts.ChatProviders.Streams).GetStream<T>(stream).SubscribeAsync(probe);
        return (probe, handle);
    }
}
