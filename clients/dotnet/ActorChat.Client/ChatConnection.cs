using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ActorChat.Client;

/// <summary>
/// One socket to the server, speaking protocol v1 as it is: it waits for the welcome, numbers requests and
/// matches each reply to its request by <c>id</c>, and hands every other frame to
/// <see cref="ChatConnectionOptions.OnEvent"/>. It never reconnects; <see cref="ChatClient"/> does that on top of
/// it. Protocol tests use it directly: raw text, fragmented and binary frames, replies as they are, the close status.
/// </summary>
public sealed class ChatConnection : IAsyncDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly ChatConnectionOptions _options;
    private readonly ChatSocket _socket;
    private readonly ConcurrentDictionary<string, PendingReply> _pending = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _welcomed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _isClosed;
    private long _nextId;

    public ChatConnection(ChatConnectionOptions? options = null)
    {
        _options = options ?? new ChatConnectionOptions();
        _socket = new ChatSocket(_options, OnFrame, OnSocketClosed);
    }

    /// <summary>Who the server says this connection is (its welcome's <c>user</c>).</summary>
    public string User { get; private set; } = string.Empty;

    /// <summary>The server's id of this connection (its welcome's <c>connection</c>).</summary>
    public string ConnectionId { get; private set; } = string.Empty;

    public int Protocol { get; private set; }

    /// <summary>The status of the upgrade response, also when it refused the connection (400, 401, 403, 429, 503).</summary>
    public HttpStatusCode HttpStatusCode => _socket.HttpStatusCode;

    /// <summary>Completes when the socket is done: with the close status, or null when it dropped without one.</summary>
    public Task<WebSocketCloseStatus?> Closed => _closed.Task;

    public string? CloseStatusDescription { get; private set; }

    public bool IsOpen => !_isClosed && _socket.State == WebSocketState.Open;

    /// <summary>
    /// Opens the socket at <paramref name="address"/> (<c>ws://host/ws</c>, with <c>?ticket=</c> when there is no
    /// <see cref="ChatConnectionOptions.BearerToken"/>) and waits for the welcome. A refused upgrade throws
    /// <see cref="WebSocketException"/>; <see cref="HttpStatusCode"/> then says why. A socket the node's connection
    /// limits turn away is accepted and closed before the welcome: the same exception, with <see cref="Closed"/>
    /// completed with 1013 (the node is full) or 4029 (too many connections for this user).
    /// </summary>
    public async Task ConnectAsync(Uri address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        await _socket.ConnectAsync(address, cancellationToken);
        await _welcomed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Sends a request with a fresh id and returns its reply as it came, ok or error.</summary>
    public async Task<JsonElement> RequestAsync(string type, Action<Utf8JsonWriter>? fields = null, CancellationToken cancellationToken = default)
    {
        var id = NextId();
        using var frame = Serialize(type, id, fields);
        return await RequestAsync(id, frame.WrittenMemory, cancellationToken);
    }

    /// <summary>Sends a frame the caller wrote, which carries <paramref name="id"/>, and returns the reply with that id.</summary>
    public async Task<JsonElement> RequestAsync(string id, ReadOnlyMemory<byte> utf8Frame, CancellationToken cancellationToken = default)
    {
        var reply = new RawReply();
        await SendRequestAsync(id, reply, utf8Frame, cancellationToken);
        return await AwaitAsync(id, reply.Task, cancellationToken);
    }

    /// <summary>Sends a request and returns its ok read as <typeparamref name="T"/>; an error reply throws <see cref="ChatException"/>.</summary>
    public Task<T> RequestAsync<T>(string type, Action<Utf8JsonWriter>? fields, JsonTypeInfo<T> resultType, CancellationToken cancellationToken = default) =>
        RequestAsync(type, fields, resultType, onOk: null, cancellationToken);

    /// <summary>Sends a request that wants no reply (it carries no id): <c>typing</c>.</summary>
    public async Task NotifyAsync(string type, Action<Utf8JsonWriter>? fields = null, CancellationToken cancellationToken = default)
    {
        using var frame = Serialize(type, id: null, fields);
        await _socket.SendAsync(frame.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
    }

    /// <summary>Sends text as one frame as it is, valid or not; a reply to an id nobody waits for goes to <see cref="ChatConnectionOptions.OnEvent"/>.</summary>
    public async Task SendTextAsync(string text, CancellationToken cancellationToken = default) =>
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    /// <summary>Sends bytes as one frame of <paramref name="type"/> (a binary frame, or text that may not be UTF-8).</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> payload, WebSocketMessageType type = WebSocketMessageType.Text, bool endOfMessage = true, CancellationToken cancellationToken = default) =>
        await _socket.SendAsync(payload, type, endOfMessage, cancellationToken);

    /// <summary>Sends text as one message split over <paramref name="frames"/> WebSocket frames.</summary>
    public async Task SendFragmentedAsync(string text, int frames, CancellationToken cancellationToken = default) =>
        await _socket.SendFragmentedAsync(Encoding.UTF8.GetBytes(text), frames, cancellationToken);

    /// <summary>Closes with <paramref name="status"/> and waits for the server's close.</summary>
    public Task CloseAsync(WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure, string? description = null, CancellationToken cancellationToken = default) =>
        _socket.CloseAsync(status, description, cancellationToken);

    /// <summary>Drops the socket at once, without a close frame.</summary>
    public void Abort() => _socket.Abort();

    public ValueTask DisposeAsync() => _socket.DisposeAsync();

    internal async Task<T> RequestAsync<T>(string type, Action<Utf8JsonWriter>? fields, JsonTypeInfo<T> resultType, Action<T>? onOk, CancellationToken cancellationToken)
    {
        var id = NextId();
        var reply = new TypedReply<T>(resultType, onOk);
        using (var frame = Serialize(type, id, fields))
        {
            await SendRequestAsync(id, reply, frame.WrittenMemory, cancellationToken);
        }

        return await AwaitAsync(id, reply.Task, cancellationToken);
    }

    private string NextId() => Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);

    private async ValueTask SendRequestAsync(string id, PendingReply reply, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        if (!_pending.TryAdd(id, reply))
        {
            throw new InvalidOperationException($"A request with id '{id}' is already waiting for its reply.");
        }

        // The close sets the flag before it fails what is pending: a request added after that sweep sees the flag.
        if (_isClosed)
        {
            _pending.TryRemove(id, out _);
            throw ClosedBeforeReply();
        }

        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        catch
        {
            _pending.TryRemove(id, out _);
            throw;
        }
    }

    private async Task<T> AwaitAsync<T>(string id, Task<T> reply, CancellationToken cancellationToken)
    {
        try
        {
            return await reply.WaitAsync(cancellationToken);
        }
        finally
        {
            if (!reply.IsCompleted)
            {
                _pending.TryRemove(id, out _);
            }
        }
    }

    private static PooledBuffer Serialize(string type, string? id, Action<Utf8JsonWriter>? fields)
    {
        var buffer = new PooledBuffer(256);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("type", type);
        if (id is not null)
        {
            writer.WriteString("id", id);
        }

        fields?.Invoke(writer);
        writer.WriteEndObject();
        writer.Flush();
        return buffer;
    }

    private void OnFrame(ChatFrame frame)
    {
        if (frame.Type == FrameTypes.Welcome)
        {
            var welcome = frame.Deserialize(ChatJsonContext.Default.Welcome);
            (User, ConnectionId, Protocol) = (welcome.User, welcome.Connection, welcome.Protocol);
            _welcomed.TrySetResult();
        }
        else if (frame.Type is FrameTypes.Ok or FrameTypes.Error && frame.Id is { } id && _pending.TryRemove(id, out var reply))
        {
            reply.Complete(frame);
        }
        else
        {
            _options.OnEvent?.Invoke(frame);
        }
    }

    private void OnSocketClosed(WebSocketCloseStatus? status, string? description)
    {
        CloseStatusDescription = description;
        _isClosed = true;
        _options.OnClosed?.Invoke(status, description);
        _closed.TrySetResult(status);
        _welcomed.TrySetException(ClosedBeforeReply());
        _ = _welcomed.Task.Exception;

        // Requests still waiting will never be answered on this socket: fail them now, not at their deadline.
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var reply))
            {
                reply.Fail(ClosedBeforeReply());
            }
        }
    }

    private static WebSocketException ClosedBeforeReply() =>
        new(WebSocketError.ConnectionClosedPrematurely, "The socket closed before the reply.");
}
