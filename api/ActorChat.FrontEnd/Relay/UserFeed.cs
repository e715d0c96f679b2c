using ActorChat.Contracts;
using ActorChat.FrontEnd.Connections;
using ActorChat.FrontEnd.Protocol;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace ActorChat.FrontEnd.Relay;

/// <summary>
/// This node's single subscription to one user's stream, shared by all of that user's local connections: sockets
/// receive what is addressed to the user (invitations, direct messages); every connection, event streams too, ends
/// when a backend ends the user's sessions.
/// </summary>
internal sealed class UserFeed : StreamFeed<UserEvent>, ISharedFeed
{
    private readonly Func<ChatConnection, string, bool> _followsRoom;
    private readonly Lock _lock = new();
    private readonly Dictionary<ChatConnection, bool> _connections = [];

    /// <summary><paramref name="followsRoom"/> tells whether a connection follows a room: it gets a direct message from the room's feed.</summary>
    public UserFeed(string user, IClusterClient client, Func<ChatConnection, string, bool> followsRoom, ILogger logger)
        : base(client, ChatStreams.ForUser(user), logger)
    {
        User = user;
        _followsRoom = followsRoom;
        Ready = new Lazy<Task>(SubscribeAsync);
    }

    public string User { get; }

    public Lazy<Task> Ready { get; }

    string ISharedFeed.Key => User;

    /// <summary>Adds a connection of the user; with <paramref name="events"/> it receives the user's invitations and direct messages.</summary>
    public void Add(ChatConnection connection, bool events)
    {
        lock (_lock)
        {
            _connections[connection] = events;
        }
    }

    public void Remove(ChatConnection connection)
    {
        lock (_lock)
        {
            _connections.Remove(connection);
        }
    }

    /// <summary>Re-establishes the stream subscription, resuming the one the pub-sub store still holds if any.</summary>
    public Task ResubscribeAsync() => ResumeAsync();

    public Task StopAsync() => UnsubscribeAsync();

    public override Task OnNextAsync(UserEvent item, StreamSequenceToken? token = null)
    {
        if (item is InvitationReceived invited)
        {
            var frame = Frames.Invited(invited.Invitation);
            lock (_lock)
            {
                foreach (var (connection, events) in _connections)
                {
                    if (events)
                    {
                        connection.TrySend(frame);
                    }
                }
            }
        }
        else if (item is DirectMessageReceived direct)
        {
            byte[]? frame = null;
            lock (_lock)
            {
                foreach (var (connection, events) in _connections)
                {
                    // A connection that joined the dm: room gets the message, gaplessly, from the room's feed.
                    if (events && !_followsRoom(connection, direct.Message.Room))
                    {
                        frame ??= Frames.Message(direct.Message);
                        connection.TrySend(frame);
                    }
                }
            }
        }

        else if (item is SessionsEnded ended)
        {
            lock (_lock)
            {
                foreach (var connection in _connections.Keys)
                {
                    connection.Close(CloseCodes.SessionsEnded, ended.TokensRevoked ? "Sessions ended; sign in again." : "Sessions ended.");
                }
            }
        }

        return Task.CompletedTask;
    }
}
