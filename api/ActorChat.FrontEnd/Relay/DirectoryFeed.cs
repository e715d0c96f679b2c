using ActorChat.Contracts;
using ActorChat.FrontEnd.Protocol;
using ActorChat.FrontEnd.Sockets;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace ActorChat.FrontEnd.Relay;

/// <summary>
/// This node's single subscription to the public room directory, held while any local connection watches it
/// (after <c>browse</c>). Each batch becomes one <c>directory</c> frame, built once and queued on every watcher.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The semaphore is only awaited, so it never allocates a wait handle; the feed lives as long as the relay.")]
internal sealed partial class DirectoryFeed(IClusterClient client, ILogger logger) : IAsyncObserver<DirectoryChanged>
{
    private readonly Lock _lock = new();
    private readonly HashSet<ChatConnection> _watchers = [];
    private readonly SemaphoreSlim _subscribing = new(1, 1);
    private StreamSubscriptionHandle<DirectoryChanged>? _handle;

    public int Watchers
    {
        get
        {
            lock (_lock)
            {
                return _watchers.Count;
            }
        }
    }

    /// <summary>Adds a watcher; the first one subscribes this node.</summary>
    public async Task WatchAsync(ChatConnection connection)
    {
        lock (_lock)
        {
            if (!_watchers.Add(connection))
            {
                return;
            }
        }

        await _subscribing.WaitAsync();
        try
        {
            _handle ??= await Stream().SubscribeAsync(this);
        }
        catch
        {
            lock (_lock)
            {
                _watchers.Remove(connection);
            }

            throw;
        }
        finally
        {
            _subscribing.Release();
        }
    }

    /// <summary>Removes a watcher; the last one ends this node's subscription.</summary>
    public async Task UnwatchAsync(ChatConnection connection)
    {
        lock (_lock)
        {
            if (!_watchers.Remove(connection) || _watchers.Count > 0)
            {
                return;
            }
        }

        await _subscribing.WaitAsync();
        try
        {
            if (_handle is not null && Watchers == 0)
            {
                await _handle.UnsubscribeAsync();
                _handle = null;
            }
        }
        catch (Exception ex)
        {
            _handle = null;
            LogUnsubscribeFailed(logger, ex);
        }
        finally
        {
            _subscribing.Release();
        }
    }

    /// <summary>Re-establishes the subscription after the cluster connection came back, if anyone watches.</summary>
    public async Task ResubscribeAsync()
    {
        await _subscribing.WaitAsync();
        try
        {
            if (_handle is not null)
            {
                _handle = await Stream().ResumeOrSubscribeAsync(this);
            }
        }
        finally
        {
            _subscribing.Release();
        }
    }

    public Task OnNextAsync(DirectoryChanged item, StreamSequenceToken? token = null)
    {
        var frame = Frames.Directory(item);
        lock (_lock)
        {
            foreach (var watcher in _watchers)
            {
                watcher.TrySend(frame);
            }
        }

        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(logger, ex);
        return Task.CompletedTask;
    }

    private IAsyncStream<DirectoryChanged> Stream() =>
        client.GetStreamProvider(ChatProviders.Streams).GetStream<DirectoryChanged>(ChatStreams.Directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The room directory stream reported an error")]
    private static partial void LogStreamError(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unsubscribing from the room directory failed")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception);
}
