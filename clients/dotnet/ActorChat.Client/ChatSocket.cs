using System.Net;
using System.Net.WebSockets;
using System.Text.Json;

namespace ActorChat.Client;

/// <summary>
/// The WebSocket under a <see cref="ChatConnection"/>, with the one receive loop of ActorChat's .NET clients: each
/// text message is assembled in a pooled buffer and handed to <paramref name="onFrame"/> on the loop, in order;
/// <paramref name="onClosed"/> runs once, on the loop, when the socket is done.
/// </summary>
internal sealed class ChatSocket(ChatConnectionOptions options, ChatFrameHandler onFrame, Action<WebSocketCloseStatus?, string?> onClosed) : IAsyncDisposable
{
    private static readonly TimeSpan CloseHandshake = TimeSpan.FromSeconds(5);
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _receiving = Task.CompletedTask;

    public HttpStatusCode HttpStatusCode => _socket.HttpStatusCode;

    public WebSocketState State => _socket.State;

    public async Task ConnectAsync(Uri address, CancellationToken cancellationToken)
    {
        _socket.Options.CollectHttpResponseDetails = true;
        if (options.BearerToken is { } token)
        {
            _socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        }

        options.ConfigureSocket?.Invoke(_socket.Options);
        await _socket.ConnectAsync(address, cancellationToken);
        _receiving = ReceiveLoopAsync();
    }

    /// <summary>Sends one message (or one fragment of one, without <paramref name="endOfMessage"/>); sends never interleave.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> payload, WebSocketMessageType type, bool endOfMessage, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(payload, type, endOfMessage, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends one text message split over <paramref name="frames"/> WebSocket frames, holding the socket for all of them.</summary>
    public async ValueTask SendFragmentedAsync(ReadOnlyMemory<byte> utf8, int frames, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        var size = Math.Max(1, (utf8.Length + frames - 1) / frames);
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            for (var offset = 0; offset < utf8.Length; offset += size)
            {
                var length = Math.Min(size, utf8.Length - offset);
                await _socket.SendAsync(utf8.Slice(offset, length), WebSocketMessageType.Text, offset + length == utf8.Length, cancellationToken);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Starts the closing handshake and waits for the server's close (the receive loop reads it).</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string? description, CancellationToken cancellationToken)
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(status, description, cancellationToken);
            }

            await _receiving.WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
            // Already gone: nothing to close.
        }
    }

    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(CloseHandshake))
        {
            try
            {
                await CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _socket.Abort();
        await _receiving;
        _socket.Dispose();
        _sendLock.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        WebSocketCloseStatus? status;
        string? description;
        try
        {
            while (true)
            {
                // Wait for the next message without a buffer, so an idle connection holds no memory from the pool.
                var head = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                if (head.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                using var message = new PooledBuffer();
                var result = head;
                while (!result.EndOfMessage)
                {
                    if (message.Count >= options.MaxFrameBytes)
                    {
                        await CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "frame too large");
                        return;
                    }

                    result = await _socket.ReceiveAsync(message.GetMemory(Math.Min(64 * 1024, message.Count)), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    message.Advance(result.Count);
                }

                // The protocol has no binary frames; one from a server is left unread rather than misread as text.
                if (result.MessageType == WebSocketMessageType.Text && !Deliver(message.WrittenSpan))
                {
                    await CloseOutputAsync(WebSocketCloseStatus.InvalidPayloadData, "not a JSON object");
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Dropped without a close frame; the status stays null.
        }
        catch
        {
            // A frame handler threw: nobody reads this socket any more, so it must not stay open. Disposing rethrows it.
            _socket.Abort();
            throw;
        }
        finally
        {
            status = _socket.CloseStatus;
            description = _socket.CloseStatusDescription;
            await AnswerCloseAsync();
            onClosed(status, description);
        }
    }

    private bool Deliver(ReadOnlySpan<byte> utf8)
    {
        ChatFrame frame;
        try
        {
            frame = ChatFrame.Read(utf8);
        }
        catch (JsonException)
        {
            return false;
        }

        onFrame(frame);
        return true;
    }

    /// <summary>Completes the closing handshake the server started, so it does not wait out its close timeout.</summary>
    private async Task AnswerCloseAsync()
    {
        if (_socket.State != WebSocketState.CloseReceived)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(CloseHandshake);
            await _socket.CloseOutputAsync(_socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private async Task CloseOutputAsync(WebSocketCloseStatus status, string description)
    {
        try
        {
            using var timeout = new CancellationTokenSource(CloseHandshake);
            await _socket.CloseOutputAsync(status, description, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _socket.Abort();
    }
}
