using ActorChat.Contracts;
using ActorChat.FrontEnd.Protocol;
using ActorChat.FrontEnd.Sockets;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace ActorChat.FrontEnd.Relay;

/// <summary>This node's single subscription to one user's stream, shared by all of that user's local connections.</summary>
internal sealed partial class UserFeed : IAsyncObserver<UserEvent>
{
    private readonly IClusterClient _client;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly HashSet<ChatConnection> _connections = [];
    private StreamSubscriptionHandle<UserEvent>? _handle;

    public UserFeed(string user, IClusterClient client, ILogger logger)
    {
        User = user;
        _client = client;
        _logger = logger;
        Ready = new Lazy<Task>(StartAsync);
    }

    public string User { get; }

    public int References { get; set; }

    public Lazy<Task> Ready { get; }

    public void Add(ChatConnection connection)
    {
        lock (_lock)
        {
            _connections.Add(connection);
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
    public async Task ResubscribeAsync()
    {
        var stream = _client.GetStreamProvider(ChatProviders.Streams).GetStream<UserEvent>(ChatStreams.ForUser(User));
        _handle = await stream.ResumeOrSubscribeAsync(this);
    }

    public async Task StopAsync()
    {
        try
        {
            if (_handle is not null)
            {
                await _handle.UnsubscribeAsync();
            }
        }
        catch (Exception ex)
        {
            LogUnsubscribeFailed(_logger, ex, User);
        }
    }

    public Task OnNextAsync(UserEvent item, StreamSequenceToken? token = null)
    {
        if (item is InvitationReceived invited)
        {
            var frame = Frames.Invited(invited.Invitation);
            lock (_lock)
            {
                foreach (var connection in _connections)
                {
                    connection.TrySend(frame);
                }
            }
        }
        else if (item is DirectMessageReceived direct)
        {
            byte[]? frame = null;
            lock (_lock)
            {
                foreach (var connection in _connections)
                {
                    // A connection that joined the dm: room gets the message, gaplessly, from the room's feed.
                    if (!connection.Rooms.ContainsKey(direct.Message.Room))
                    {
                        frame ??= Frames.Message(direct.Message);
                        connection.TrySend(frame);
                    }
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(_logger, ex, User);
        return Task.CompletedTask;
    }

    private async Task StartAsync()
    {
        var stream = _client.GetStreamProvider(ChatProviders.Streams).GetStream<UserEvent>(ChatStreams.ForUser(User));
        _handle = await stream.SubscribeAsync(this);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream of user {User} reported an error")]
    private static partial void LogStreamError(ILogger logger, Exception exception, string user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unsubscribing from user {User} failed")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception, string user);
}
