using ActorChat.Contracts;
using ActorChat.FrontEnd.Connections;
using ActorChat.FrontEnd.Protocol;
using Microsoft.Extensions.Logging;

namespace ActorChat.FrontEnd.Relay;

/// <summary>
/// This node's watch of the public room directory, held while any local connection watches it (after
/// <c>browse</c>). Each batch becomes one <c>directory</c> frame, built once and queued on every watcher.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The semaphore is only awaited, so it never allocates a wait handle; the feed lives as long as the relay.")]
internal sealed partial class DirectoryFeed : IDirectoryObserver
{
    private readonly IClusterClient _client;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private readonly Lazy<IDirectoryObserver> _reference;
    private readonly Lock _lock = new();
    private readonly HashSet<ChatConnection> _watchers = [];

    // Watching and unwatching the grain take turns, so the grain hears them in the order they happened here.
    private readonly SemaphoreSlim _turn = new(1, 1);
    private bool _watching;

    // Batches as the directory told them, in that order: a newer count is never overtaken by an older one.
    private readonly OrderedInbox<DirectoryChanged> _inbox;

    /// <summary>Once <paramref name="stopping"/> is signalled, a directory that moves is not watched again.</summary>
    public DirectoryFeed(IClusterClient client, ILogger logger, CancellationToken stopping)
    {
        _client = client;
        _logger = logger;
        _stopping = stopping;
        _inbox = new OrderedInbox<DirectoryChanged>(batch =>
        {
            Deliver(batch);
            return Task.CompletedTask;
        });

        // Made on first use, once the cluster client runs; the relay holds this object, so the reference stays valid.
        _reference = new Lazy<IDirectoryObserver>(() => client.CreateObjectReference<IDirectoryObserver>(this));
    }

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

    private IRoomDirectoryGrain Grain => _client.Grain<IRoomDirectoryGrain>(IRoomDirectoryGrain.Key);

    /// <summary>Adds a watcher; the first one makes this node watch the directory.</summary>
    public async Task WatchAsync(ChatConnection connection)
    {
        lock (_lock)
        {
            if (!_watchers.Add(connection))
            {
                return;
            }
        }

        await _turn.WaitAsync();
        try
        {
            if (!_watching)
            {
                await Grain.Watch(_reference.Value);
                _watching = true;
            }
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
            _turn.Release();
        }
    }

    /// <summary>Removes a watcher; the last one ends this node's watch.</summary>
    public async Task UnwatchAsync(ChatConnection connection)
    {
        lock (_lock)
        {
            if (!_watchers.Remove(connection) || _watchers.Count > 0)
            {
                return;
            }
        }

        await _turn.WaitAsync();
        try
        {
            if (_watching && Watchers == 0)
            {
                _watching = false;
                await Grain.Unwatch(_reference.Value);
            }
        }
        catch (Exception ex)
        {
            // The watch lapses on its own once this node stops renewing it.
            LogUnwatchFailed(_logger, ex);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>
    /// Watches again if anyone here watches: the watch lives only in the directory's activation. Called periodically,
    /// after the cluster connection came back and when the directory moved.
    /// </summary>
    public async Task CheckAsync()
    {
        await _turn.WaitAsync();
        try
        {
            if (_watching)
            {
                await Grain.Watch(_reference.Value);
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    public Task OnDirectoryChanged(DirectoryChanged batch)
    {
        _inbox.Post(batch);
        return Task.CompletedTask;
    }

    public Task OnDirectoryMoved()
    {
        if (!_stopping.IsCancellationRequested)
        {
            _ = WatchMovedAsync();
        }

        return Task.CompletedTask;
    }

    private void Deliver(DirectoryChanged batch)
    {
        try
        {
            var frame = Frames.Directory(batch);
            lock (_lock)
            {
                foreach (var watcher in _watchers)
                {
                    watcher.TrySend(frame);
                }
            }
        }
        catch (Exception ex)
        {
            LogDeliveryFailed(_logger, ex);
        }
    }

    private async Task WatchMovedAsync()
    {
        try
        {
            await CheckAsync();
        }
        catch (Exception ex)
        {
            LogRewatchFailed(_logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivering a batch of the room directory failed")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unwatching the room directory failed")]
    private static partial void LogUnwatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching the room directory again after it moved failed; the next check retries")]
    private static partial void LogRewatchFailed(ILogger logger, Exception exception);
}
