using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

namespace ActorChat.Cli;

/// <summary>One WebSocket to the server (protocol v1): requests matched to replies by id, everything else as events.</summary>
internal sealed class ChatLink : IAsyncDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(15);
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new(StringComparer.Ordinal);
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource<string> _user = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _receiving;
    private int _nextId;

    private ChatLink(ClientWebSocket socket)
    {
        _socket = socket;
        _receiving = ReceiveLoopAsync();
    }

    /// <summary>Frames that are not replies: welcome, message, presence, typing, read, invited. Completes when the socket closes.</summary>
    public ChannelReader<JsonElement> Events => _events.Reader;

    /// <summary>Who the server says this connection is (from its welcome frame).</summary>
    public Task<string> UserAsync(CancellationToken cancellationToken) => _user.Task.WaitAsync(ReplyTimeout, cancellationToken);

    /// <summary>How the socket closed (null when it dropped without a close frame).</summary>
    public int? CloseCode => (int?)_socket.CloseStatus;

    /// <summary>
    /// Opens the socket with a one-use ticket (<see cref="ServerApi.TicketAsync"/>), as the browser page does. A
    /// header would keep the token out of logs as well; the ticket keeps it out of every URL, proxies' included,
    /// and takes the same path as the page, so the CLI's tests cover it too.
    /// </summary>
    public static async Task<ChatLink> ConnectAsync(Uri server, string ticket, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var address = new UriBuilder(server)
        {
            Scheme = server.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
            Path = "/ws",
            Query = $"ticket={Uri.EscapeDataString(ticket)}",
        }.Uri;
        try
        {
            await socket.ConnectAsync(address, cancellationToken);
        }
        catch (WebSocketException) when (socket.HttpStatusCode is System.Net.HttpStatusCode.Unauthorized)
        {
            // The token bought the ticket a moment ago, so the ticket was lost (its silo went down) or waited too long.
            socket.Dispose();
            throw new CliException(CliException.TicketRefused, "The server refused the ticket (401); a new one is needed.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new ChatLink(socket);
    }

    /// <summary>Sends a request and returns its ok frame; an error frame becomes a <see cref="CliException"/> with its code.</summary>
    public async Task<JsonElement> RequestAsync(string type, IReadOnlyDictionary<string, object?>? fields = null, CancellationToken cancellationToken = default)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var request = new Dictionary<string, object?>(fields ?? new Dictionary<string, object?>()) { ["type"] = type, ["id"] = id };
        try
        {
            await SendAsync(request, cancellationToken);
            var frame = await reply.Task.WaitAsync(ReplyTimeout, cancellationToken);
            return frame.GetProperty("type").GetString() == "ok"
                ? frame
                : throw new CliException(frame.GetProperty("code").GetString() ?? "error", frame.GetProperty("message").GetString() ?? "The server refused.");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Abort();
        await _receiving;
        _socket.Dispose();
        _sendLock.Dispose();
    }

    private async Task SendAsync(Dictionary<string, object?> frame, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(frame);
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var frame = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                message.SetLength(0);
                if (frame.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && _pending.TryGetValue(id.GetString()!, out var waiter))
                {
                    waiter.TrySetResult(frame);
                }
                else
                {
                    if (frame.TryGetProperty("type", out var type) && type.GetString() == "welcome" && frame.TryGetProperty("user", out var user))
                    {
                        _user.TrySetResult(user.GetString() ?? string.Empty);
                    }

                    _events.Writer.TryWrite(frame);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or JsonException)
        {
            // The connection is gone; whoever reads the events sees them end and decides.
        }
        finally
        {
            _events.Writer.TryComplete();
            _user.TrySetException(new CliException("disconnected", "The connection closed before the server said who we are."));
            foreach (var waiter in _pending.Values)
            {
                waiter.TrySetException(new CliException("disconnected", "The connection closed."));
            }
        }
    }
}
