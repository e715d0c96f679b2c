using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ActorChat.Bench.Load;

/// <summary>A WebSocket client of ActorChat's protocol (and of the raw baseline, which speaks its subset).</summary>
internal sealed class SocketDriver : IChatDriver
{
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _pending = new();
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _calls = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _receive = Task.CompletedTask;
    private long _nextId;

    public Action<long>? OnMessage { get; set; }

    /// <summary>Told the size in bytes of each <c>message</c> frame received, as it came off the wire.</summary>
    public Action<int>? OnMessageFrame { get; set; }

    /// <summary>Told every other event (not a message, not a reply), as text.</summary>
    public Action<string>? OnEvent { get; set; }

    public static async Task<SocketDriver> ConnectAsync(Uri socket, IReadOnlyList<string> subprotocols, CancellationToken cancellationToken)
    {
        var driver = new SocketDriver();
        driver._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        foreach (var subprotocol in subprotocols)
        {
            driver._socket.Options.AddSubProtocol(subprotocol);
        }

        await driver._socket.ConnectAsync(socket, cancellationToken);
        driver._receive = Task.Run(driver.ReceiveLoopAsync, CancellationToken.None);
        return driver;
    }

    public Task JoinAsync(string room) => RequestAsync(id => JsonSerializer.SerializeToUtf8Bytes(new { id = id.ToString(System.Globalization.CultureInfo.InvariantCulture), type = "join", room }));

    public Task SendAsync(string room, string text) => RequestAsync(id => JsonSerializer.SerializeToUtf8Bytes(new { id = id.ToString(System.Globalization.CultureInfo.InvariantCulture), type = "send", room, text }));

    /// <summary>
    /// Sends any request (an <c>id</c> is added) and returns its ok reply as parsed JSON; an error reply throws. Slower
    /// than <see cref="SendAsync"/> (the reply is parsed in full), for scenarios that read what the server answers.
    /// </summary>
    public async Task<JsonElement> CallAsync(Dictionary<string, object?> request)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _calls[id] = reply;
        request["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(request), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }

        return await reply.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _receive;
        _socket.Dispose();
        _sendLock.Dispose();
    }

    private async Task RequestAsync(Func<long, byte[]> frame)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(frame(id), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }

        await reply.Task;
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    // A frame bigger than the buffer (a rooms reply of a user in a thousand rooms) grows it; a receive
                    // into no space would return nothing, forever.
                    if (count == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                var frame = buffer.AsSpan(0, count);
                if (frame.IndexOf("\"type\":\"message\""u8) >= 0)
                {
                    OnMessageFrame?.Invoke(count);
                    OnMessage?.Invoke(Clock.ReadStamp(frame));
                }
                else if (frame.IndexOf("\"type\":\"ok\""u8) >= 0 || frame.IndexOf("\"type\":\"error\""u8) >= 0)
                {
                    Complete(frame);
                }
                else
                {
                    OnEvent?.Invoke(Encoding.UTF8.GetString(frame));
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new WebSocketException("closed"));
            }

            foreach (var call in _calls.Values)
            {
                call.TrySetException(new WebSocketException("closed"));
            }
        }
    }

    private void Complete(ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame);
        string? id = null;
        string? type = null;
        string? code = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                var name = reader.GetString();
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    switch (name)
                    {
                        case "id": id = reader.GetString(); break;
                        case "type": type = reader.GetString(); break;
                        case "code": code = reader.GetString(); break;
                    }
                }
            }
        }

        if (id is not null && long.TryParse(id, out var called) && _calls.TryRemove(called, out var caller))
        {
            if (type == "ok")
            {
                using var document = JsonDocument.Parse(frame.ToArray());
                caller.TrySetResult(document.RootElement.Clone());
            }
            else
            {
                caller.TrySetException(new InvalidOperationException($"server answered {code}: {Encoding.UTF8.GetString(frame)}"));
            }
        }
        else if (id is not null && long.TryParse(id, out var key) && _pending.TryRemove(key, out var waiter))
        {
            if (type == "ok")
            {
                waiter.TrySetResult();
            }
            else
            {
                waiter.TrySetException(new InvalidOperationException($"server answered {code}: {Encoding.UTF8.GetString(frame)}"));
            }
        }
    }
}
