using Orleans.Concurrency;

namespace ActorChat.Contracts;

/// <summary>
/// A front-end node's receiver of the public room directory's changes, while any of its connections browses
/// (<see cref="IRoomDirectoryGrain.Watch"/>).
/// </summary>
[Alias("ActorChat.IDirectoryObserver")]
public interface IDirectoryObserver : IGrainObserver
{
    /// <summary>One-way: the directory never waits on a front end.</summary>
    [OneWay]
    [Alias("OnDirectoryChanged")]
    Task OnDirectoryChanged(DirectoryChanged batch);

    /// <summary>The directory's activation is going away: watch again to follow its next one.</summary>
    [OneWay]
    [Alias("OnDirectoryMoved")]
    Task OnDirectoryMoved();
}
