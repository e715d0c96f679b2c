using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using ActorChat.Client;
using Xunit;

namespace ActorChat.Testing;

/// <summary>
/// A protocol v1 client over a real <see cref="ClientWebSocket"/> (the client library's <see cref="ChatConnection"/>):
/// requests are matched to replies by id, everything else lands in an ordered event queue that tests await with a
/// deadline.
/// </summary>
public sealed class ChatClient : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly ChatConnection _connection;
    private int _nextId;

    private ChatClient(string? token, IReadOnlyList<string>? subprotocols = null)
    {
        _connection = new ChatConnection(new ChatConnectionOptions
        {
            BearerToken = token,
            ConfigureSocket = socket =>
            {
                foreach (var subprotocol in subprotocols ?? [])
                {
                    socket.AddSubProtocol(subprotocol);
                }
            },
            OnEvent = frame => _events.Writer.TryWrite(frame.ToJsonElement()),
            OnClosed = (status, _) =>
            {
                Closed.TrySetResult(status);
                _events.Writer.TryComplete();
            },
        });
    }

    /// <summary>Completes with the close status once the server has closed (or dropped) the socket.</summary>
    public TaskCompletionSource<WebSocketCloseStatus?> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static Task<ChatClient> ConnectAsync(Uri address, string token) => OpenAsync(address, token);

    /// <summary>Connects as a browser does: no header, a one-use ticket in the query.</summary>
    public static Task<ChatClient> ConnectWithTicketAsync(Uri address, string ticket) =>
        OpenAsync(new UriBuilder(address) { Query = $"ticket={Uri.EscapeDataString(ticket)}" }.Uri, token: null);

    /// <summary>Connects as a browser does without a ticket: no header, the token offered as a subprotocol.</summary>
    public static Task<ChatClient> ConnectWithSubprotocolAsync(Uri address, string token) =>
        OpenAsync(address, token: null, SubprotocolsFor(token));

    /// <summary>What a browser offers in <c>Sec-WebSocket-Protocol</c> to sign in with <paramref name="token"/>.</summary>
    public static string[] SubprotocolsFor(string token) => ["actorchat", $"actorchat.bearer.{token}"];

    private static async Task<ChatClient> OpenAsync(Uri address, string? token, IReadOnlyList<string>? subprotocols = null)
    {
        var client = new ChatClient(token, subprotocols);
        try
        {
            using var timeout = new CancellationTokenSource(Deadline);
            await client._connection.ConnectAsync(address, timeout.Token);
            return client;
        }
        catch
        {
            await client._connection.DisposeAsync();
            throw;
        }
    }

    public string ConnectionId => _connection.ConnectionId;

    /// <summary>Who the server says this connection is (its welcome's <c>user</c>).</summary>
    public string User => _connection.User;

    /// <summary>Sends a request with a fresh id and returns its one reply (ok or error).</summary>
    public async Task<JsonElement> RequestAsync(Dictionary<string, object?> request)
    {
        var id = $"r{Interlocked.Increment(ref _nextId)}";
        request["id"] = id;
        return await _connection.RequestAsync(id, JsonSerializer.SerializeToUtf8Bytes(request)).WaitAsync(Deadline);
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
    public Task SendTextAsync(string text) => _connection.SendTextAsync(text);

    /// <summary>Sends text as one message split over <paramref name="frames"/> WebSocket frames.</summary>
    public Task SendFragmentedAsync(string text, int frames) => _connection.SendFragmentedAsync(text, frames);

    public Task SendBinaryAsync(byte[] payload, WebSocketMessageType type = WebSocketMessageType.Binary) =>
        _connection.SendAsync(payload, type);

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

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}

public static class FrameExtensions
{
    public static string? Type(this JsonElement frame) =>
        frame.TryGetProperty("type", out var type) ? type.GetString() : null;

    public static long Seq(this JsonElement frame) => frame.GetProperty("seq").GetInt64();

    public static string Str(this JsonElement frame, string name) => frame.GetProperty(name).GetString()!;
}
