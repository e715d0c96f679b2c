using ActorChat.Contracts;
using ActorChat.FrontEnd.Connections;
using ActorChat.FrontEnd.Protocol;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace ActorChat.FrontEnd.Relay;

/// <summary>
/// This node's single subscription to the public room directory, held while any local connection watches it
/// (after <c>browse</c>). Each batch becomes one <c>directory</c> frame, built once and queued on every watcher.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The semaphore is only awaited, so it never allocates a wait handle; the feed lives as long as the relay.")]
internal sealed class DirectoryFeed(IClusterClient client, ILogger logger) : StreamFeed<DirectoryChanged>(client, ChatStreams.Directory, logger)
{
    private readonly Lock _lock = new();
    private readonly HashSet<ChatConnection> _watchers = [];
    private readonly SemaphoreSlim _subscribing = new(1, 1);

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
            if (!IsSubscribed)
            {
                await SubscribeAsync();
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
            if (Watchers == 0)
            {
                await UnsubscribeAsync();
            }
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
            if (IsSubscribed)
            {
                await ResumeAsync();
            }
        }
        finally
        {
            _subscribing.Release();
        }
    }

    public override Task OnNextAsync(DirectoryChanged item, StreamSequenceToken? token = null)
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
}
