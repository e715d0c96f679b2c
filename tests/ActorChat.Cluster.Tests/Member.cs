using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using ActorChat.Testing;

namespace ActorChat.Cluster.Tests;

/// <summary>
/// A chat user that behaves as a client should: it follows one room, remembers the highest seq it has seen,
/// and after any failure reconnects (to whichever front end is alive), rejoins with <c>since</c> and retries
/// unacknowledged sends with the same <c>clientMsgId</c>. It records everything it receives for the checker.
/// </summary>
internal sealed class Member(LocalCluster cluster, string user, string room, int preferredFrontEnd) : IAsyncDisposable
{
    private readonly List<long> _received = [];
    private readonly Lock _lock = new();
    private ChatClient? _client;
    private Task? _pump;
    private int _frontEnd = preferredFrontEnd;

    public string User { get; } = user;

    /// <summary>clientMsgId to the seq its ok carried.</summary>
    public Dictionary<string, long> Acknowledged { get; } = [];

    /// <summary>Sends answered <c>internal</c> (the store or a silo was away); each was retried with the same id.</summary>
    public int Refused { get; private set; }

    public int Reconnects { get; private set; }

    public long LastSeen
    {
        get
        {
            lock (_lock)
            {
                return _received.Count == 0 ? 0 : _received[^1];
            }
        }
    }

    public IReadOnlyList<long> Received
    {
        get
        {
            lock (_lock)
            {
                return [.. _received];
            }
        }
    }

    public async Task ConnectAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            deadline.Token.ThrowIfCancellationRequested();
            var node = LiveFrontEnd();
            try
            {
                var client = await ChatClient.ConnectAsync(node.Socket, await cluster.TokenAsync(node, User));
                _client = client;
                _pump = PumpAsync(client);
                var reply = await client.RequestAsync("join", ("room", room), ("since", LastSeen));
                if (reply.Type() == "ok")
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or TimeoutException or OperationCanceledException)
            {
            }

            // The node may be dying: try the next one.
            _frontEnd++;
            Reconnects++;
            await Task.Delay(100);
        }
    }

    /// <summary>Sends until acknowledged, across reconnects, always with the same client message id.</summary>
    public async Task SendAsync(string clientMsgId, string text)
    {
        while (true)
        {
            try
            {
                var reply = await _client!.RequestAsync("send", ("room", room), ("text", text), ("clientMsgId", clientMsgId));
                if (reply.Type() == "ok")
                {
                    Acknowledged[clientMsgId] = reply.Seq();
                    return;
                }

                // internal: the grain call failed during fail-over; the same id makes the retry safe.
                Refused++;
                await Task.Delay(100);
            }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException or ObjectDisposedException)
            {
                await ReconnectAsync();
            }
        }
    }

    /// <summary>Waits until this member has seen <paramref name="seq"/>, reconnecting if its socket dies meanwhile.</summary>
    public async Task WaitForAsync(long seq, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        while (LastSeen < seq)
        {
            if (_client!.Closed.Task.IsCompleted)
            {
                await ReconnectAsync();
            }

            await Task.WhenAny(_pump!, Task.Delay(50, timeout.Token));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
    }

    private async Task ReconnectAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        Reconnects++;
        await ConnectAsync();
    }

    private Node LiveFrontEnd()
    {
        var live = cluster.FrontEnds.Where(f => !f.Process.HasExited).ToList();
        return live[_frontEnd % live.Count];
    }

    private async Task PumpAsync(ChatClient client)
    {
        try
        {
            while (true)
            {
                JsonElement message;
                try
                {
                    message = await client.NextEventAsync(e => e.Type() == "message" && e.Str("room") == room);
                }
                catch (OperationCanceledException)
                {
                    continue;
                }

                lock (_lock)
                {
                    _received.Add(message.Seq());
                }
            }
        }
        catch (ChannelClosedException)
        {
        }
    }
}
