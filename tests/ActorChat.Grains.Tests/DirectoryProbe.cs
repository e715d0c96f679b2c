using ActorChat.Contracts;

namespace ActorChat.Grains.Tests;

/// <summary>A front-end node watching the public room directory, as a test sees it: each batch told, awaited with a deadline.</summary>
public sealed class DirectoryProbe : IDirectoryObserver
{
    private readonly EventProbe<DirectoryChanged> _batches = new();
    private readonly IRoomDirectoryGrain _directory;

    private DirectoryProbe(IClusterClient client)
    {
        _directory = client.GetGrain<IRoomDirectoryGrain>(IRoomDirectoryGrain.Key);
        Reference = client.CreateObjectReference<IDirectoryObserver>(this);
    }

    public IDirectoryObserver Reference { get; }

    public static async Task<DirectoryProbe> WatchAsync(IClusterClient client)
    {
        var probe = new DirectoryProbe(client);
        await probe._directory.Watch(probe.Reference);
        return probe;
    }

    public Task UnwatchAsync() => _directory.Unwatch(Reference);

    public Task<DirectoryChanged> NextAsync(Func<DirectoryChanged, bool>? stale = null) => _batches.NextAsync(stale);

    public Task OnDirectoryChanged(DirectoryChanged batch) => _batches.OnNextAsync(batch);

    public Task OnDirectoryMoved() => Task.CompletedTask;
}
