using ActorChat.Contracts;
using ActorChat.FrontEnd.Connections;
using ActorChat.FrontEnd.Protocol;
using Microsoft.Extensions.Logging;

namespace ActorChat.FrontEnd.Relay;

/// <summary>
/// This node's attachment to one user's grain, shared by all of that user's local connections: sockets receive
/// what is addressed to the user (invitations, direct messages); every connection, event streams too, ends when a
/// backend ends the user's sessions. Events arrive through the node's one <see cref="NodeUserEvents"/> observer.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The turn is only awaited, so it never allocates a wait handle.")]
internal sealed partial class UserFeed : ISharedFeed
{
    private readonly IClusterClient _client;
    private readonly NodeUserEvents _node;
    private readonly Func<ChatConnection, string, bool> _followsRoom;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<ChatConnection, bool> _connections = [];

    // Whom the grain's attachment belongs to: a feed that replaced this one on the node must survive this one's detach.
    private readonly Guid _id = Guid.NewGuid();

    // Attaching and detaching take turns, and nothing attaches once the feed stopped: a periodic attach that reached
    // a feed just released would otherwise leave the node attached for good.
    private readonly SemaphoreSlim _turn = new(1, 1);
    private bool _stopped;

    /// <summary><paramref name="followsRoom"/> tells whether a connection follows a room: it gets a direct message from the room's feed.</summary>
    public UserFeed(string user, IClusterClient client, NodeUserEvents node, Func<ChatConnection, string, bool> followsRoom, ILogger logger)
    {
        User = user;
        _client = client;
        _node = node;
        _followsRoom = followsRoom;
        _logger = logger;
        Ready = new Lazy<Task>(AttachAsync);
    }

    public string User { get; }

    public Lazy<Task> Ready { get; }

    string ISharedFeed.Key => User;

    private IUserGrain Grain => _client.User(User);

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

    /// <summary>
    /// Attaches again: the attachment lives only in the user's grain activation, which a lost silo takes with it.
    /// Called periodically and after the cluster connection came back.
    /// </summary>
    public Task ResubscribeAsync() => AttachAsync();

    /// <summary>What losing the grain's activation does to the attachment, without stopping the feed; for tests.</summary>
    internal Task LoseAttachmentAsync() => Grain.Detach(_node.Reference, _id);

    /// <summary>Detaches. A failure is logged, not thrown: nobody here wants the events any more.</summary>
    public async Task StopAsync()
    {
        await _turn.WaitAsync();
        try
        {
            _stopped = true;
            await Grain.Detach(_node.Reference, _id);
        }
        catch (Exception ex)
        {
            LogDetachFailed(_logger, ex, User);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>An event the user's grain told this node.</summary>
    public void Deliver(UserEvent item)
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
            EndSessions(ended.TokensRevoked, _ => true);
        }
    }

    private async Task AttachAsync()
    {
        DateTimeOffset tokensAfter;
        await _turn.WaitAsync();
        try
        {
            if (_stopped)
            {
                return;
            }

            tokensAfter = await Grain.Attach(_node.Reference, _id);
        }
        finally
        {
            _turn.Release();
        }

        // Sessions ended with a revocation while this node was not attached (the grain was lost with its silo)
        // never reached it as an event: what the revocation covers closes now.
        if (tokensAfter != DateTimeOffset.MinValue)
        {
            EndSessions(revoked: true, connection => !(connection.TokenIssuedAt >= tokensAfter));
        }
    }

    private void EndSessions(bool revoked, Func<ChatConnection, bool> covered)
    {
        lock (_lock)
        {
            foreach (var connection in _connections.Keys)
            {
                if (covered(connection))
                {
                    connection.Close(CloseCodes.SessionsEnded, revoked ? "Sessions ended; sign in again." : "Sessions ended.");
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Detaching this node from user {User} failed")]
    private static partial void LogDetachFailed(ILogger logger, Exception exception, string user);
}
