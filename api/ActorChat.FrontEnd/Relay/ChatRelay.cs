using System.Collections.Concurrent;
using ActorChat.FrontEnd.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorChat.FrontEnd.Relay;

/// <summary>
/// Holds at most one watch per room and of the room directory on this node, and one attachment per
/// user, counted by the local connections that use it (the last one to leave ends it), and what each connection follows.
/// </summary>
internal sealed partial class ChatRelay
{
    private readonly ConcurrentDictionary<ChatConnection, Following> _following = new();
    private readonly FeedTable<RoomFeed> _rooms;
    private readonly FeedTable<UserFeed> _users;

    private readonly ILogger<ChatRelay> _logger;

    public ChatRelay(IClusterClient client, IHostApplicationLifetime lifetime, ILogger<ChatRelay> logger, ChatMetrics metrics)
    {
        _logger = logger;
        var rooms = new NodeRoomEvents(client, room => _rooms!.Find(room), lifetime.ApplicationStopping);
        _rooms = new FeedTable<RoomFeed>(room => new RoomFeed(room, client, rooms, logger, metrics, Removed));
        var node = new NodeUserEvents(client, user => _users!.Find(user));
        _users = new FeedTable<UserFeed>(user => new UserFeed(user, client, node, Follows, logger));
        Directory = new DirectoryFeed(client, logger, lifetime.ApplicationStopping);
        metrics.ObserveRooms(() => RoomCount);
        metrics.ObserveDirectoryWatchers(() => Directory.Watchers);
    }

    /// <summary>The node's watch of the public room directory, shared by the connections that browse.</summary>
    public DirectoryFeed Directory { get; }

    /// <summary>Rooms with a subscription on this node.</summary>
    public int RoomCount => _rooms.Count;

    /// <summary>The room feeds that are running now.</summary>
    public IReadOnlyList<RoomFeed> RoomFeeds() => _rooms.Running();

    /// <summary>The user feeds that are running now.</summary>
    public IReadOnlyList<UserFeed> UserFeeds() => _users.Running();

    /// <summary>Whether <paramref name="connection"/> follows <paramref name="room"/> on this node.</summary>
    public bool Follows(ChatConnection connection, string room) =>
        _following.TryGetValue(connection, out var following) && following.Follows(room);

    /// <summary>How many rooms <paramref name="connection"/> follows.</summary>
    public int FollowedRoomCount(ChatConnection connection) =>
        _following.TryGetValue(connection, out var following) ? following.RoomCount : 0;

    /// <summary>
    /// Subscribes <paramref name="connection"/> to <paramref name="room"/> with everything after
    /// <paramref name="cursor"/> replayed first. Returns false when the connection already follows the room.
    /// </summary>
    public async Task<bool> FollowRoomAsync(ChatConnection connection, string room, long cursor, Func<Task> beforeReplay)
    {
        var feed = _rooms.Acquire(room);
        var subscription = new RoomSubscription(connection, feed, cursor);
        var rooms = _following.GetOrAdd(connection, _ => new Following());
        if (!rooms.TryAdd(room, subscription))
        {
            await _rooms.ReleaseAsync(feed);
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
            rooms.TryRemove(room, out _);
            await _rooms.ReleaseAsync(feed);
            throw;
        }
    }

    public async Task UnfollowRoomAsync(ChatConnection connection, string room)
    {
        if (_following.TryGetValue(connection, out var following) && following.TryRemove(room, out var subscription))
        {
            await subscription.Feed.DetachAsync(subscription);
            await _rooms.ReleaseAsync(subscription.Feed);
        }
    }

    /// <summary>
    /// Ends the connection when a backend ends its user's sessions, and with <paramref name="events"/> delivers what is
    /// addressed to the user (invitations, direct messages) to it.
    /// </summary>
    public async Task FollowUserAsync(ChatConnection connection, bool events = true)
    {
        var feed = _users.Acquire(connection.User);
        _following.GetOrAdd(connection, _ => new Following()).User = feed;
        feed.Add(connection, events);
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

    /// <summary>Ends everything a closing connection follows.</summary>
    public async Task ReleaseConnectionAsync(ChatConnection connection)
    {
        if (_following.TryGetValue(connection, out var following))
        {
            foreach (var room in following.Rooms())
            {
                await UnfollowRoomAsync(connection, room);
            }

            await UnfollowUserAsync(connection);
            _following.TryRemove(connection, out _);
        }

        await Directory.UnwatchAsync(connection);
    }

    /// <summary>A room's feed dropped a kicked or banned user's subscription: the connection no longer follows the room.</summary>
    private void Removed(RoomSubscription subscription)
    {
        if (_following.TryGetValue(subscription.Connection, out var following)
            && following.TryRemove(subscription))
        {
            // Called under the feed's gate: the release (which may stop the feed) runs after it.
            _ = Task.Run(async () =>
            {
                try
                {
                    await _rooms.ReleaseAsync(subscription.Feed);
                }
                catch (Exception ex)
                {
                    LogReleaseFailed(_logger, ex, subscription.Feed.Room);
                }
            });
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing the relay of room {Room} after a removal failed")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string room);

    private async Task UnfollowUserAsync(ChatConnection connection)
    {
        if (_following.TryGetValue(connection, out var following) && following.User is { } feed)
        {
            following.User = null;
            feed.Remove(connection);
            await _users.ReleaseAsync(feed);
        }
    }
}
