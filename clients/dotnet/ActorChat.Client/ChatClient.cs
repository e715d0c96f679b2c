using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ActorChat.Client;

/// <summary>
/// A chat session that outlives its sockets. <see cref="ConnectAsync"/> opens the first one; after that, whenever the
/// socket closes (except by <see cref="CloseAsync"/>), the client opens another after a backoff with jitter, asking
/// <see cref="ChatClientOptions.TokenProvider"/> for the token again, joins every joined room again with
/// <c>since</c> = the last position it passed on, and sends again the requests that are safe to repeat. Events
/// reach <see cref="Events"/>, <see cref="Messages"/> and <see cref="Subscribe"/> once per (room, position), in order.
/// It stops for good only when closed, or when the server refuses the token (state <see cref="ChatConnectionState.Closed"/>).
/// </summary>
public sealed partial class ChatClient : IAsyncDisposable
{
    // Closes before the welcome from a node's connection limits (docs/protocol.md, close codes).
    private const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;
    private const WebSocketCloseStatus TooManyConnections = (WebSocketCloseStatus)4029;

    private readonly ChatClientOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly RoomPositions _rooms = new();
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _lifetime = new();
    private ChatSubscription[] _subscribers = [];
    private TaskCompletionSource<ChatConnection> _open = NewOpen();
    private ChatConnection? _connection;
    private Task _supervising = Task.CompletedTask;
    private ChatException? _closedBecause;
    private (string? After, int? Limit)? _browsing;

    public ChatClient(ChatClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _ownsHttp = options.HttpClient is null;
        _http = options.HttpClient ?? new HttpClient();
    }

    public ChatConnectionState State { get; private set; }

    /// <summary>Who the server says this client is (the welcome's <c>user</c>); null before the first connect.</summary>
    public string? User { get; private set; }

    /// <summary>
    /// Opens the first socket and returns once the server has welcomed it. One attempt: a server that cannot be
    /// reached throws (<see cref="HttpRequestException"/>, <see cref="WebSocketException"/>), a refused token throws
    /// <see cref="ChatException"/> with code <c>unauthorized</c>, a node whose connection limits turn the socket away
    /// <c>node_full</c> or <c>too_many_connections</c> with the server's reason; after that the client reconnects by itself.
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_lifetime.IsCancellationRequested, this);
            if (State != ChatConnectionState.Disconnected)
            {
                throw new InvalidOperationException($"The client is {State.ToString().ToLowerInvariant()} already.");
            }

            SetState(new ConnectionStateChanged(ChatConnectionState.Connecting));
        }

        ChatConnection? connection = null;
        try
        {
            connection = await OpenAsync(cancellationToken);
            await ResumeAsync(connection, cancellationToken);
        }
        catch (Exception ex)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            lock (_lock)
            {
                if (State == ChatConnectionState.Connecting)
                {
                    SetState(new ConnectionStateChanged(ChatConnectionState.Disconnected, Error: ex));
                }
            }

            throw;
        }

        if (Activate(connection))
        {
            _supervising = SuperviseAsync(connection);
        }
        else
        {
            await connection.DisposeAsync();
            throw ClosedError();
        }
    }

    /// <summary>Stops reconnecting, closes the socket with 1000, fails what is still waiting and ends every subscription.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        ChatConnection? connection;
        lock (_lock)
        {
            if (_lifetime.IsCancellationRequested)
            {
                return;
            }

            connection = _connection;
            _closedBecause ??= new ChatException(ChatErrorCodes.Closed, "The client was closed.");
            _open.TrySetException(_closedBecause);
            _ = _open.Task.Exception;
            if (State != ChatConnectionState.Closed)
            {
                SetState(new ConnectionStateChanged(ChatConnectionState.Closed));
            }
        }

        await _lifetime.CancelAsync();
        if (connection is not null)
        {
            try
            {
                await connection.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }

        await _supervising;
        CompleteSubscriptions(error: null);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        if (_ownsHttp)
        {
            _http.Dispose();
        }

        _lifetime.Dispose();
    }

    /// <summary>Opens one socket: token, ticket (unless the token goes in a header), upgrade, welcome.</summary>
    private async Task<ChatConnection> OpenAsync(CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        attempt.CancelAfter(_options.ConnectTimeout);
        try
        {
            var token = await TokenAsync(attempt.Token);
            var ticket = _options.AuthMode == ChatAuthMode.Ticket
                ? (await ChatAuth.TicketAtAsync(_http, new Uri(_options.Server, _options.TicketPath), token, attempt.Token)).Ticket
                : null;
            // Declared first: the close callback names the connection it is handed to.
            ChatConnection? connection = null;
            connection = new ChatConnection(new ChatConnectionOptions
            {
                BearerToken = ticket is null ? token : null,
                ConfigureSocket = _options.ConfigureSocket,
                OnEvent = OnEvent,
                OnClosed = (_, _) => Deactivate(connection!),
            });
            try
            {
                await connection.ConnectAsync(_options.SocketAddress(ticket), attempt.Token);
            }
            catch (WebSocketException ex) when (connection.HttpStatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                await connection.DisposeAsync();
                throw (connection.HttpStatusCode, ticket) switch
                {
                    (HttpStatusCode.Forbidden, _) => new ChatException(ChatErrorCodes.Forbidden, "The server refused the socket (403).", ex),
                    (_, null) => new ChatException(ChatErrorCodes.Unauthorized, "The server refused the token (401).", ex),

                    // The token bought the ticket a moment ago, so the ticket was lost (its silo went down) or waited too long.
                    _ => new ChatException(ChatErrorCodes.TicketRefused, "The server refused the ticket (401); a new one is needed.", ex),
                };
            }
            catch (WebSocketException ex) when (connection.Closed.IsCompleted && connection.Closed.Result is TryAgainLater or TooManyConnections)
            {
                // The server took the socket only to say no: a full node, or one connection too many for this user.
                await connection.DisposeAsync();
                var code = connection.Closed.Result == TryAgainLater ? ChatErrorCodes.NodeFull : ChatErrorCodes.TooManyConnections;
                throw new ChatException(code, connection.CloseStatusDescription ?? code, ex);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }

            User = connection.User;
            return connection;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && !_lifetime.IsCancellationRequested)
        {
            throw new ChatException(ChatErrorCodes.Timeout, $"No connection within {_options.ConnectTimeout.TotalSeconds:0.#} s.", ex);
        }
    }

    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _options.TokenProvider(cancellationToken);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or ChatException) && !IsNetworkFailure(ex))
        {
            throw new ChatException(ChatErrorCodes.Unauthorized, $"The token provider failed: {ex.Message}", ex);
        }
    }

    /// <summary>Joins every followed room again with <c>since</c>, then watches the room directory again if it was watched.</summary>
    private async Task ResumeAsync(ChatConnection connection, CancellationToken cancellationToken)
    {
        await Task.WhenAll(_rooms.ToResume().Select(room => RejoinAsync(connection, room.Room, room.Since, cancellationToken)));
        if (_browsing is { } browsing)
        {
            var page = await connection.RequestAsync(
                "browse", w => WriteBrowse(w, browsing.After, browsing.Limit, watch: true), ChatJsonContext.Default.BrowsePage, onOk: null, cancellationToken);
            Publish(new DirectoryChanged(page.Rooms, Reset: true, page.Next));
        }
    }

    private async Task RejoinAsync(ChatConnection connection, string room, long since, CancellationToken cancellationToken)
    {
        try
        {
            await connection.RequestAsync(
                "join",
                w =>
                {
                    w.WriteString("room", room);
                    w.WriteNumber("since", since);
                },
                ChatJsonContext.Default.JoinResult,
                ok =>
                {
                    // On the receive loop, ahead of the messages this join replays.
                    _rooms.Joined(room, since, ok.LastSeq);
                    Publish(new RoomResumed(room, since, ok.Recovered, ok.LastSeq));
                },
                cancellationToken);
        }
        catch (ChatException ex) when (ex.Code is not (ChatErrorCodes.Internal or ChatErrorCodes.RateLimited or ChatErrorCodes.BadReply))
        {
            // Refused for good (banned, removed from a private room): not asked again.
            _rooms.Forget(room);
            Publish(new RoomResumeFailed(room, ex));
        }
    }

    /// <summary>Waits for the socket to close, then reconnects, until the client is closed or the token is refused.</summary>
    private async Task SuperviseAsync(ChatConnection connection)
    {
        while (true)
        {
            var status = await connection.Closed;
            var reason = connection.CloseStatusDescription;
            Deactivate(connection);
            await connection.DisposeAsync();
            if (_lifetime.IsCancellationRequested)
            {
                return;
            }

            var next = await ReconnectAsync((int?)status, reason);
            if (next is null)
            {
                return;
            }

            connection = next;
        }
    }

    private async Task<ChatConnection?> ReconnectAsync(int? closeCode, string? reason)
    {
        Exception? lastError = null;
        for (var attempt = 0; ; attempt++)
        {
            var delay = _options.Backoff.DelayAfter(attempt, lastError);
            lock (_lock)
            {
                if (_lifetime.IsCancellationRequested)
                {
                    return null;
                }

                SetState(new ConnectionStateChanged(ChatConnectionState.Reconnecting, attempt + 1, delay, closeCode, reason, lastError));
            }

            ChatConnection? connection = null;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
            try
            {
                await Task.Delay(delay, _lifetime.Token);
                deadline.CancelAfter(_options.ConnectTimeout + _options.RequestTimeout);
                connection = await OpenAsync(deadline.Token);
                await ResumeAsync(connection, deadline.Token);
                if (Activate(connection))
                {
                    return connection;
                }

                await connection.DisposeAsync();
                return null;
            }
            catch (Exception ex)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }

                if (_lifetime.IsCancellationRequested)
                {
                    return null;
                }

                if (ex is ChatException chat && IsFinal(chat))
                {
                    Shutdown(chat);
                    return null;
                }

                lastError = ex;
            }
        }
    }

    /// <summary>The server will say the same again: the token is refused, or so is the socket itself.</summary>
    private static bool IsFinal(ChatException error) =>
        error.Code is ChatErrorCodes.Unauthorized or ChatErrorCodes.Forbidden
        || (error.Code.StartsWith("http_4", StringComparison.Ordinal) && error.Code is not ("http_408" or "http_429"));

    private static bool IsNetworkFailure(Exception error) =>
        error is HttpRequestException { StatusCode: null or >= HttpStatusCode.InternalServerError } or IOException or TimeoutException or WebSocketException;

    private bool Activate(ChatConnection connection)
    {
        lock (_lock)
        {
            if (_lifetime.IsCancellationRequested || State == ChatConnectionState.Closed)
            {
                return false;
            }

            _connection = connection;
            _open.TrySetResult(connection);
            SetState(new ConnectionStateChanged(ChatConnectionState.Open));
            return true;
        }
    }

    /// <summary>
    /// The connection is gone: requests wait for the next one from here on. Runs on the receive loop as the socket
    /// closes, before its pending requests fail, so a request that retries never finds the dead one again.
    /// </summary>
    private void Deactivate(ChatConnection connection)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_connection, connection))
            {
                _connection = null;
                if (_open.Task.IsCompletedSuccessfully)
                {
                    _open = NewOpen();
                }
            }
        }
    }

    /// <summary>Stops for good with <paramref name="reason"/>: requests and subscriptions end with it.</summary>
    private void Shutdown(ChatException reason)
    {
        lock (_lock)
        {
            if (State == ChatConnectionState.Closed)
            {
                return;
            }

            _closedBecause = new ChatException(ChatErrorCodes.Closed, $"The client stopped: {reason.Message}", reason);
            _open.TrySetException(_closedBecause);
            _ = _open.Task.Exception;
            SetState(new ConnectionStateChanged(ChatConnectionState.Closed, Error: reason));
        }

        CompleteSubscriptions(reason);
    }

    private async Task<ChatConnection> WaitOpenAsync(CancellationToken cancellationToken)
    {
        Task<ChatConnection> open;
        lock (_lock)
        {
            open = State switch
            {
                ChatConnectionState.Closed => throw ClosedError(),
                ChatConnectionState.Disconnected => throw new ChatException(ChatErrorCodes.Disconnected, "Not connected: call ConnectAsync first."),
                _ => _open.Task,
            };
        }

        return await open.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Sends a request on the open connection (waiting for one) and returns its ok. When the socket drops before the
    /// reply, a request that is safe to repeat (<paramref name="retry"/>) goes again on the next connection, after
    /// the rooms are resumed; any other fails with <c>disconnected</c>.
    /// </summary>
    private async Task<T> RequestAsync<T>(string type, Action<Utf8JsonWriter>? fields, JsonTypeInfo<T> resultType, bool retry, Action<T>? onOk, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        deadline.CancelAfter(_options.RequestTimeout);
        try
        {
            while (true)
            {
                var connection = await WaitOpenAsync(deadline.Token);
                if (!connection.IsOpen)
                {
                    // Closing as we speak, and nothing was sent on it: wait for the next one.
                    Deactivate(connection);
                    continue;
                }

                try
                {
                    return await connection.RequestAsync(type, fields, resultType, onOk, deadline.Token);
                }
                catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
                {
                    if (!retry)
                    {
                        throw new ChatException(ChatErrorCodes.Disconnected, $"The connection dropped before the reply to '{type}'.", ex);
                    }

                    connection.Abort();
                    Deactivate(connection);
                }
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw _lifetime.IsCancellationRequested
                ? ClosedError()
                : new ChatException(ChatErrorCodes.Timeout, $"No reply to '{type}' within {_options.RequestTimeout.TotalSeconds:0.#} s.", ex);
        }
    }

    private ChatException ClosedError() =>
        _closedBecause is { } reason
            ? new ChatException(ChatErrorCodes.Closed, reason.Message, reason.InnerException)
            : new ChatException(ChatErrorCodes.Closed, "The client was closed.");

    /// <summary>Publishes a state change; called under the lock, so states are seen in the order they were set.</summary>
    private void SetState(ConnectionStateChanged change)
    {
        State = change.State;
        Publish(change);
    }

    private static TaskCompletionSource<ChatConnection> NewOpen() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
