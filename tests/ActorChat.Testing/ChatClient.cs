using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Xunit;

namespace ActorChat.Testing;

/// <summary>
/// A protocol v1 client over a real <see cref="ClientWebSocket"/>: requests are matched to replies by id,
/// everything else lands in an ordered event queue that tests await with a deadline.
/// </summary>
public sealed class ChatClient : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource<JsonElement> _welcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _receiveLoop;
    private int _nextId;

    private ChatClient(ClientWebSocket socket)
    {
        _socket = socket;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Completes with the close status once the server has closed (or dropped) the socket.</summary>
    public TaskCompletionSource<WebSocketCloseStatus?> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static Task<ChatClient> ConnectAsync(Uri address, string token) => OpenAsync(address, token);

    /// <summary>Connects as a browser does: no header, a one-use ticket in the query.</summary>
    public static Task<ChatClient> ConnectWithTicketAsync(Uri address, string ticket) =>
        OpenAsync(new UriBuilder(address) { Query = $"ticket={Uri.EscapeDataString(ticket)}" }.Uri, token: null);

    private static async Task<ChatClient> OpenAsync(Uri address, string? token)
    {
        var socket = new ClientWebSocket();
        if (token is not null)
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        }

        using var timeout = new CancellationTokenSource(Deadline);
        await socket.ConnectAsync(address, timeout.Token);
        var client = new ChatClient(socket);
        var welcome = await client._welcome.Task.WaitAsync(Deadline);
        client.ConnectionId = welcome.GetProperty("connection").GetString()!;
        client.User = welcome.GetProperty("user").GetString()!;
        return client;
    }

    public string ConnectionId { get; private set; } = string.Empty;

    /// <summary>Who the server says this connection is (its welcome's <c>user</c>).</summary>
    public string User { get; private set; } = string.Empty;

    /// <summary>Sends a request with a fresh id and returns its one reply (ok or error).</summary>
    public async Task<JsonElement> RequestAsync(Dictionary<string, object?> request)
    {
        var id = $"r{Interlocked.Increment(ref _nextId)}";
        request["id"] = id;
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        if (Closed.Task.IsCompleted)
        {
            _pending.TryRemove(id, out _);
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "The socket is closed.");
        }

        await SendTextAsync(JsonSerializer.Serialize(request));
        return await reply.Task.WaitAsync(Deadline);
    }

    public Task<JsonElement> RequestAsync(string type, params (string Name, object? Value)[] fields)
    {
        var request = new Dictionary<string, object?> { ["type"] = type };
        foreach (var (name, value) in fields)
        {
            request[name] = value;
        }

        return RequestAsync(request);
    }

    /// <summary>Sends a request and fails the test unless the reply is ok.</summary>
    public async Task<JsonElement> OkAsync(string type, params (string Name, object? Value)[] fields)
    {
        var reply = await RequestAsync(type, fields);
        Assert.True(reply.GetProperty("type").GetString() == "ok", $"{type} failed: {reply}");
        return reply;
    }

    /// <summary>Sends text as one frame, so a reply whose id is unknown lands in the event queue.</summary>
    public async Task SendTextAsync(string text)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends text as one message split over <paramref name="frames"/> WebSocket frames.</summary>
    public async Task SendFragmentedAsync(string text, int frames)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var size = (bytes.Length + frames - 1) / frames;
        await _sendLock.WaitAsync();
        try
        {
            for (var offset = 0; offset < bytes.Length; offset += size)
            {
                var length = Math.Min(size, bytes.Length - offset);
                await _socket.SendAsync(bytes.AsMemory(offset, length), WebSocketMessageType.Text, offset + length == bytes.Length, CancellationToken.None);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async Task SendBinaryAsync(byte[] payload, WebSocketMessageType type = WebSocketMessageType.Binary)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(payload, type, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>The next frame that is not a reply to a pending request.</summary>
    public async Task<JsonElement> NextEventAsync(Func<JsonElement, bool>? match = null)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        while (true)
        {
            var item = await _events.Reader.ReadAsync(timeout.Token);
            if (match is null || match(item))
            {
                return item;
            }
        }
    }

    /// <summary>The next <paramref name="count"/> message events of <paramref name="room"/>, skipping other events.</summary>
    public async Task<List<JsonElement>> MessagesAsync(string room, int count)
    {
        var messages = new List<JsonElement>(count);
        while (messages.Count < count)
        {
            messages.Add(await NextEventAsync(e => e.Type() == "message" && e.GetProperty("room").GetString() == room));
        }

        return messages;
    }

    /// <summary>Frames received but not yet taken, without waiting.</summary>
    public List<JsonElement> Drain()
    {
        var list = new List<JsonElement>();
        while (_events.Reader.TryRead(out var item))
        {
            list.Add(item);
        }

        return list;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Abort();
        await _receiveLoop;
        _socket.Dispose();
        _sendLock.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                var frame = JsonDocument.Parse(buffer.AsMemory(0, count)).RootElement.Clone();
                var type = frame.Type();
                if (type == "welcome")
                {
                    _welcome.TrySetResult(frame);
                }
                else if ((type is "ok" or "error") && frame.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                    && _pending.TryRemove(id.GetString()!, out var waiter))
                {
                    waiter.TrySetResult(frame);
                }
                else
                {
                    _events.Writer.TryWrite(frame);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            Closed.TrySetResult(_socket.CloseStatus);
            _events.Writer.TryComplete();

            // Requests still waiting will never be answered on this socket: fail them now, not at their deadline.
            foreach (var id in _pending.Keys)
            {
                if (_pending.TryRemove(id, out var waiter))
                {
                    waiter.TrySetException(new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "The socket closed before the reply."));
                }
            }
        }
    }
}

public static class FrameExtensions
{
    public static string? Type(this JsonElement frame) =>
        frame.TryGetProperty("type", out var type) ? type.GetString() : null;

    public static long Seq(this JsonElement frame) => frame.GetProperty("seq").GetInt64();

    public static string Str(this JsonElement frame, string name) => frame.GetProperty(name).GetString()!;
}
