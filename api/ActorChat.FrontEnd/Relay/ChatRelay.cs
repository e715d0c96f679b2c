using ActorChat.FrontEnd.Sockets;
using Microsoft.Extensions.Logging;

namespace ActorChat.FrontEnd.Relay;

/// <summary>
/// Holds at most one stream subscription per room, per user and for the room directory on this node, counted by
/// the local connections that use it; the last one to leave ends the subscription.
/// </summary>
internal sealed class ChatRelay
{
    private readonly IClusterClient client;
    private readonly ILogger<ChatRelay> logger;
    private readonly ChatMetrics? metrics;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, RoomFeed> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UserFeed> _users = new(StringComparer.Ordinal);

    public ChatRelay(IClusterClient client, ILogger<ChatRelay> logger, ChatMetrics? metrics = null)
    {
        this.client = client;
        this.logger = logger;
        this.metrics = metrics;
        Directory = new DirectoryFeed(client, logger);
        metrics?.ObserveRooms(() => RoomCount);
        metrics?.ObserveDirectoryWatchers(() => Directory.Watchers);
    }

    /// <summary>The node's subscription to the public room directory, shared by the connections that browse.</summary>
    public DirectoryFeed Directory { get; }

    /// <summary>Rooms with a live subscription on this node.</summary>
    public int RoomCount
    {
        get
        {
            lock (_lock)
            {
                return _rooms.Count;
            }
        }
    }

    /// <summary>The room feeds that are running now.</summary>
    public IReadOnlyList<RoomFeed> RoomFeeds()
    {
        lock (_lock)
        {
            return [.. _rooms.Values.Where(f => f.Ready.IsValueCreated && f.Ready.Value.IsCompletedSuccessfully)];
        }
    }

    /// <summary>The user feeds that are running now.</summary>
    public IReadOnlyList<UserFeed> UserFeeds()
    {
        lock (_lock)
        {
            return [.. _users.Values.Where(f => f.Ready.IsValueCreated && f.Ready.Value.IsCompletedSuccessfully)];
        }
    }

    /// <summary>
    /// Subscribes <paramref name="connection"/> to <paramref name="room"/> with everything after
    /// <paramref name="cursor"/> replayed first. Returns false when the connection already follows the room.
    /// </summary>
    public async Task<bool> FollowRoomAsync(ChatConnection connection, string room, long cursor, Func<Task> beforeReplay)
    {
        RoomFeed feed;
        lock (_lock)
        {
            if (!_rooms.TryGetValue(room, out feed!))
            {
                feed = new RoomFeed(room, client, logger, metrics);
                _rooms[room] = feed;
            }

            feed.References++;
        }

        var subscription = new RoomSubscription(connection, feed, cursor);
        if (!connection.Rooms.TryAdd(room, subscription))
        {
            await ReleaseAsync(feed);
            return false;
        }

        try
        {
            await feed.Ready.Value;
            await beforeReplay();
            await feed.AttachAsync(subscription);
            return true;
        }
        catch
        {
            connection.Rooms.TryRemove(room, out _);
            await ReleaseAsync(feed);
            throw;
        }
    }

    public async Task UnfollowRoomAsync(ChatConnection connection, string room)
    {
        if (connection.Rooms.TryRemove(room, out var subscription))
        {
            await subscription.Feed.DetachAsync(subscription);
            await ReleaseAsync(subscription.Feed);
        }
    }

    public async Task FollowUserAsync(ChatConnection connection)
    {
        UserFeed feed;
        lock (_lock)
        {
            if (!_users.TryGetValue(connection.User, out feed!))
            {
                feed = new UserFeed(connection.User, client, logger);
                _users[connection.User] = feed;
            }

            feed.References++;
        }

        feed.Add(connection);
        try
        {
            await feed.Ready.Value;
        }
        catch
        {
            await UnfollowUserAsync(connection);
            throw;
        }
    }

    public async Task UnfollowUserAsync(ChatConnection connection)
    {
        UserFeed? stopped = null;
        lock (_lock)
        {
            if (_users.TryGetValue(connection.User, out var feed))
            {
                feed.Remove(connection);
                if (--feed.References == 0)
                {
                    _users.Remove(connection.User);
                    stopped = feed;
                }
            }
        }

        if (stopped is not null)
        {
            await StopWhenStarted(stopped.Ready.Value, stopped.StopAsync);
        }
    }

    /// <summary>Ends every subscription of a closing connection.</summary>
    public async Task ReleaseConnectionAsync(ChatConnection connection)
    {
        foreach (var room in connection.Rooms.Keys.ToList())
        {
            await UnfollowRoomAsync(connection, room);
        }

        await UnfollowUserAsync(connection);
        await Directory.UnwatchAsync(connection);
    }

    private async Task ReleaseAsync(RoomFeed feed)
    {
        lock (_lock)
        {
            if (--feed.References > 0)
            {
                return;
            }

            if (_rooms.TryGetValue(feed.Room, out var current) && ReferenceEquals(current, feed))
            {
                _rooms.Remove(feed.Room);
            }
        }

        await StopWhenStarted(feed.Ready.Value, feed.StopAsync);
    }

    private static async Task StopWhenStarted(Task started, Func<Task> stop)
    {
        try
        {
            await started;
        }
        catch (Exception)
        {
            // It never subscribed, so there is nothing to end.
            return;
        }

        await stop();
    }
}
