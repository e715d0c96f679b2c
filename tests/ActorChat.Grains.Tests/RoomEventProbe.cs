using ActorChat.Contracts;

namespace ActorChat.Grains.Tests;

/// <summary>
/// A front-end node as a room sees it: an observer that watches the room, collecting what the room tells it so a test
/// can await the next event (with a deadline, never a sleep).
/// </summary>
public sealed class RoomEventProbe : IRoomEventObserver
{
    private readonly EventProbe<RoomEvent> _events = new();
    private readonly EventProbe<string> _moved = new();

    private RoomEventProbe(IClusterClient client, string room)
    {
        Room = client.GetGrain<IRoomGrain>(room);
        Reference = client.CreateObjectReference<IRoomEventObserver>(this);
    }

    public IRoomGrain Room { get; }

    public IRoomEventObserver Reference { get; }

    private static long s_feeds = 1000;

    /// <summary>The probe's feed number; <see cref="Feed"/> - 1 names an older feed of the same node.</summary>
    public long Feed { get; } = Interlocked.Increment(ref s_feeds);

    /// <summary>Events told and not yet taken.</summary>
    public int Pending => _events.Pending;

    /// <summary>A probe watching <paramref name="room"/>, and the position the watch answered.</summary>
    public static async Task<(RoomEventProbe Probe, long Position)> WatchAsync(IClusterClient client, string room)
    {
        var probe = new RoomEventProbe(client, room);
        return (probe, await probe.WatchAsync());
    }

    public Task<long> WatchAsync() => Room.Watch(Reference, Feed);

    public Task UnwatchAsync() => Room.Unwatch(Reference, Feed);

    /// <summary>The next event, passing over those <paramref name="stale"/> matches.</summary>
    public Task<RoomEvent> NextAsync(Func<RoomEvent, bool>? stale = null) => _events.NextAsync(stale);

    /// <summary>Completes when the room says its activation is going away.</summary>
    public Task<string> MovedAsync() => _moved.NextAsync();

    public Task OnRoomEvents(string room, RoomEvent[] events)
    {
        foreach (var item in events)
        {
            _events.Add(item);
        }

        return Task.CompletedTask;
    }

    public Task OnRoomMoved(string room)
    {
        _moved.Add(room);
        return Task.CompletedTask;
    }
}
