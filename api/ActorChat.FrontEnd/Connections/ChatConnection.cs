using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace ActorChat.FrontEnd.Connections;

/// <summary>
/// One open connection (a WebSocket or an SSE stream): its identity and a bounded outbound queue drained by a single
/// writer loop, so that whoever hands it a frame (the relay, above all) never waits on this connection. What it
/// follows is the relay's to know, not the connection's.
/// </summary>
internal sealed partial class ChatConnection : IDisposable
{
    private readonly IFrameTransport _transport;
    private readonly Outbox _outbox;
    private readonly SocketOptions _options;
    private readonly ILogger _logger;
    private readonly ChatMetrics _metrics;
    private readonly CancellationTokenSource _abort = new();
    private ITimer? _expiry;
    private int _closing;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = string.Empty;

    internal ChatConnection(string id, string user, IFrameTransport transport, SocketOptions options, ILogger logger, ChatMetrics metrics)
    {
        Id = id;
        User = user;
        _transport = transport;
        _options = options;
        _logger = logger;
        _metrics = metrics;
        _outbox = new Outbox(options.OutboundQueueMessages, options.OutboundQueueBytes, WriteRounds.Shared(options.WriteLinger));
        // An abort comes only after a close, which has already woken the writer (its wait takes no token); the abort drops
        // whatever is still queued and ends a write that hangs.
        _abort.Token.Register(static state =>
        {
            var connection = (ChatConnection)state!;
            connection._outbox.Complete(discard: true);
            connection._transport.Abort();
        }, this);
    }

    public string Id { get; }

    public string User { get; }

    /// <summary>When the token this connection was opened with was issued; a later revocation of the user's tokens closes it.</summary>
    public DateTimeOffset? TokenIssuedAt { get; init; }

    public bool IsClosing => Volatile.Read(ref _closing) != 0;

    /// <summary>Requests refused as rate limited in a row.</summary>
    public int RateLimitStrikes { get; set; }

    /// <summary>Sets (or, after a <c>refresh</c>, moves) the moment this connection's token expires.</summary>
    public void ExpireAt(DateTimeOffset? at, TimeProvider time)
    {
        if (at is null)
        {
            return;
        }

        var due = at.Value - time.GetUtcNow();
        if (due < TimeSpan.Zero)
        {
            due = TimeSpan.Zero;
        }

        if (_expiry is null)
        {
            _expiry = time.CreateTimer(_ => Close(CloseCodes.TokenExpired, "token expired"), null, due, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _expiry.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    internal CancellationToken Aborted => _abort.Token;

    /// <summary>What this connection has queued; tests and diagnostics read it.</summary>
    internal Outbox Outbox => _outbox;

    /// <summary>The writer loop once <see cref="Start"/> has begun it: done when the connection has closed.</summary>
    internal Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Begins writing queued frames to the transport.</summary>
    internal void Start() => Completion = RunWriterAsync();

    /// <summary>Queues a frame without waiting. A full queue marks the socket a slow consumer and closes it.</summary>
    public bool TrySend(byte[] frame)
    {
        if (IsClosing)
        {
            return false;
        }

        if (!_outbox.TryAdd(frame))
        {
            CloseAsSlowConsumer();
            return false;
        }

        return true;
    }

    /// <summary>
    /// Queues a frame of this connection's own (a reply, a replayed message), waiting for room within the same
    /// frame and byte caps: the caller (the request loop) waits with it, so the peer's further requests stay unread.
    /// </summary>
    public async ValueTask SendAsync(byte[] frame)
    {
        try
        {
            await _outbox.AddAsync(frame, _abort.Token);
        }
        catch (OperationCanceledException)
        {
            // Aborted: nobody is left to read it.
        }
    }

    /// <summary>Stops accepting frames; the writer flushes what is queued, then closes with this status.</summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        _closeStatus = status;
        _closeReason = reason;
        _outbox.Complete(discard: false);
        AbortAfterCloseTimeout();
    }

    private void CloseAsSlowConsumer()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        LogSlowConsumer(_logger, Id, User);
        _metrics.SlowConsumerClosed();
        _closeStatus = CloseCodes.SlowConsumer;
        _closeReason = "slow consumer";

        // Its queue is dropped, not flushed: the client resumes with `since` after reconnecting.
        _outbox.Complete(discard: true);
        AbortAfterCloseTimeout();
    }

    // A peer that neither reads its queue nor answers the close handshake is cut off after the close timeout.
    private void AbortAfterCloseTimeout()
    {
        try
        {
            _abort.CancelAfter(_options.CloseTimeout);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Writes queued frames until the connection closes, then performs the close handshake (or aborts on timeout).</summary>
    private async Task RunWriterAsync()
    {
        try
        {
            while (await _outbox.WaitToTakeAsync())
            {
                while (_outbox.TryPeek(out var frame, out var more))
                {
                    await _transport.WriteAsync(frame, more);
                    _outbox.Taken();
                }
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
            timeout.CancelAfter(_options.CloseTimeout);
            await _transport.CloseAsync(_closeStatus, _closeReason, timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            // The peer went away or the close timed out: nothing left to deliver to.
        }
        finally
        {
            _transport.Ended();
        }
    }

    /// <summary>Tears the socket down at once (after the close timeout, or on server shutdown).</summary>
    public void Dispose()
    {
        _expiry?.Dispose();
        _abort.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} of {User} is a slow consumer; closing it with 4008")]
    private static partial void LogSlowConsumer(ILogger logger, string connectionId, string user);
}
