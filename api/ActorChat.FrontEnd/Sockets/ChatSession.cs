using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using ActorChat.Contracts;
using ActorChat.FrontEnd.Connections;
using ActorChat.FrontEnd.Limits;
using ActorChat.FrontEnd.Protocol;
using ActorChat.FrontEnd.Relay;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.Sockets;

/// <summary>Serves one accepted WebSocket: welcome, the read loop, request dispatch, and what closing gives back.</summary>
internal sealed partial class ChatSession(
    IGrainFactory grains,
    ChatRelay relay,
    RequestHandler handler,
    ConnectionLifecycle lifecycle,
    RequestBudgets budgets,
    IOptions<SocketOptions> socketOptions,
    IOptions<ChatLimits> limits,
    ChatMetrics metrics,
    TimeProvider time,
    ILogger<ChatSession> logger)
{
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 16 };
    private static readonly Func<ILogger, string, IDisposable?> RoomScope = LoggerMessage.DefineScope<string>("Room {Room}");
    private readonly SocketOptions _options = socketOptions.Value;
    private readonly ChatLimits _limits = limits.Value;

    /// <summary><paramref name="coalescing"/> is the stream the socket writes through, when the upgrade made one.</summary>
    public async Task RunAsync(WebSocket socket, CoalescingStream? coalescing, string user, DateTimeOffset? issuedAt, DateTimeOffset? expiresAt, CancellationToken aborted)
    {
        await lifecycle.RunAsync(user, new WebSocketTransport(socket, coalescing), issuedAt, expiresAt, room: null,
            serve: connection => ServeAsync(connection, socket, issuedAt, aborted),
            release: (connection, status) => ReleaseAsync(connection, socket, status));
        await LingerIfAbortedAsync(socket, aborted);
    }

    private async Task<WebSocketCloseStatus> ServeAsync(ChatConnection connection, WebSocket socket, DateTimeOffset? issuedAt, CancellationToken aborted)
    {
        LogOpened(logger, connection.Id, connection.User);

        // Following the user first: sessions ended after this point close the socket; ended before it, the grain refuses.
        await relay.FollowUserAsync(connection);
        if (!await grains.User(connection.User).Connect(connection.Id, issuedAt))
        {
            return CloseCodes.SessionsEnded;
        }

        await connection.SendAsync(Frames.Welcome(connection.User, connection.Id));
        var lanes = new SendLanes(sends => PostAsync(connection, sends), _options.PipelinedSends, _limits.MaxPostBatch, metrics);
        try
        {
            return await ReadLoopAsync(connection, socket, lanes, aborted);
        }
        finally
        {
            // The sends already read are stored whatever happens to the socket; the connection is let go after them.
            await lanes.DrainAsync();
        }
    }

    private async Task<WebSocketCloseStatus> ReadLoopAsync(ChatConnection connection, WebSocket socket, SendLanes lanes, CancellationToken aborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted, connection.Aborted);

        // Between messages the socket holds no buffer: a zero-byte read waits for the next frame, and only then is
        // one rented. Idle sockets are most sockets, and 4 KiB each was a tenth of an idle connection's memory.
        byte[]? buffer = null;
        var count = 0;
        try
        {
            while (!connection.IsClosing)
            {
                Memory<byte> into;
                if (buffer is null)
                {
                    into = Memory<byte>.Empty;
                }
                else
                {
                    if (count == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, _options.MaxMessageBytes + 1));
                        buffer.AsSpan(0, count).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    into = buffer.AsMemory(count);
                }

                if (count == 0)
                {
                    // Back-pressure before the next request is even read: its reply would only wait in memory.
                    await connection.Outbox.WaitForRoomAsync(stop.Token);
                }

                var result = await socket.ReceiveAsync(into, stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return WebSocketCloseStatus.NormalClosure;
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    return WebSocketCloseStatus.InvalidMessageType;
                }

                count += result.Count;
                if (count > _options.MaxMessageBytes)
                {
                    return WebSocketCloseStatus.MessageTooBig;
                }

                if (result.EndOfMessage)
                {
                    // An empty message ends at its header, on the zero-byte read; it is answered like any other.
                    await DispatchAsync(connection, lanes, buffer is null ? ReadOnlyMemory<byte>.Empty : buffer.AsMemory(0, count));
                    Release(ref buffer);
                    count = 0;
                }
                else
                {
                    buffer ??= ArrayPool<byte>.Shared.Rent(4096);
                }
            }

            return WebSocketCloseStatus.NormalClosure;
        }
        finally
        {
            Release(ref buffer);
        }

        static void Release(ref byte[]? rented)
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
                rented = null;
            }
        }
    }

    private async Task DispatchAsync(ChatConnection connection, SendLanes lanes, ReadOnlyMemory<byte> frame)
    {
        // Charged before the frame is even parsed: malformed frames cost the sender's budget like any other.
        if (!budgets.TryTake(connection.User, out var retryAfter))
        {
            await RefuseAsync(connection, frame, retryAfter);
            return;
        }

        connection.RateLimitStrikes = 0;
        string? id = null;
        try
        {
            using var document = JsonDocument.Parse(frame, JsonOptions);
            var request = ClientRequest.Parse(document, _limits.MaxIdLength, out id);
            if (request.Type is "send" or "dm")
            {
                await lanes.EnqueueAsync(handler.ReadSend(connection, request));
                return;
            }

            // Whatever a client asks after a send sees that send done (a history, a leave, an edit of it).
            await lanes.DrainAsync();
            var room = request.TryRoom();
            using var activity = StartRequestActivity(connection, request.Type, room);
            using var scope = room is null ? null : RoomScope(logger, room);
            await handler.HandleAsync(connection, request);
        }
        catch (JsonException)
        {
            await RejectAsync(connection, id, ChatErrorCode.BadRequest, "The frame is not a valid JSON object.");
        }
        catch (ProtocolException ex)
        {
            await RejectAsync(connection, id, ex.Code, ex.Message);
        }
        catch (ChatException ex)
        {
            await RefusedAsync(connection, id, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await FailedAsync(connection, [id], ex);
        }
    }

    /// <summary>Posts one lane's batch (see <see cref="SendLanes"/>) and answers each send, whatever happens to the call.</summary>
    private async Task PostAsync(ChatConnection connection, IReadOnlyList<QueuedSend> sends)
    {
        var room = sends[0].Room;
        using var activity = StartRequestActivity(connection, sends[0].Type, room);
        if (sends.Count > 1)
        {
            activity?.SetTag("chat.batch", sends.Count);
        }

        using var scope = RoomScope(logger, room);
        try
        {
            await handler.SendAsync(connection, sends);
        }
        catch (ChatException ex)
        {
            foreach (var send in sends)
            {
                await RefusedAsync(connection, send.Id, ex);
            }
        }
        catch (Exception ex)
        {
            await FailedAsync(connection, [.. sends.Select(s => s.Id)], ex);
        }
    }

    /// <summary>Every socket request is a span, its trace carried on into the grain calls it makes.</summary>
    private static System.Diagnostics.Activity? StartRequestActivity(ChatConnection connection, string type, string? room)
    {
        var activity = ChatTracing.Source.StartActivity($"chat {type}", System.Diagnostics.ActivityKind.Server);
        activity?.SetTag("chat.connection", connection.Id);
        activity?.SetTag("chat.room", room);
        return activity;
    }

    private ValueTask RefusedAsync(ChatConnection connection, string? id, ChatException refusal)
    {
        metrics.Rejected(refusal.Code);
        return connection.SendAsync(Frames.Error(id, refusal, time.GetUtcNow()));
    }

    private async Task FailedAsync(ChatConnection connection, IReadOnlyList<string?> ids, Exception exception)
    {
        LogRequestFailed(logger, exception, connection.Id);
        foreach (var id in ids)
        {
            await RejectAsync(connection, id, ChatErrorCode.Internal, "The request failed; it may be retried.");
        }
    }

    private async Task RefuseAsync(ChatConnection connection, ReadOnlyMemory<byte> frame, TimeSpan retryAfter)
    {
        var retryMs = (long)Math.Ceiling(retryAfter.TotalMilliseconds);
        metrics.Rejected(ChatErrorCode.RateLimited);
        var id = ClientRequest.PeekId(frame.Span, _limits.MaxIdLength);
        await connection.SendAsync(Frames.Error(id, ChatErrorCode.RateLimited, "Too many requests; nothing was done.", w => w.WriteNumber("retryAfterMs", retryMs)));
        if (++connection.RateLimitStrikes >= _options.FloodCloseAfter)
        {
            LogFlooding(logger, connection.Id, connection.User);
            connection.Close(WebSocketCloseStatus.PolicyViolation, "flooding");
        }
    }

    private ValueTask RejectAsync(ChatConnection connection, string? id, ChatErrorCode code, string message)
    {
        metrics.Rejected(code);
        return connection.SendAsync(Frames.Error(id, code, message));
    }

    /// <summary>
    /// After a peer's protocol error (a text frame that is not UTF-8, a malformed frame) the WebSocket sends its close
    /// frame (1007, 1002) and marks itself aborted, and disposing an aborted socket aborts the connection, which can
    /// overtake that frame: the peer would see a reset instead of the code. Such a peer gets the close timeout to read
    /// it and go. A peer that vanished has already ended the request, so nothing waits for it.
    /// </summary>
    private async Task LingerIfAbortedAsync(WebSocket socket, CancellationToken aborted)
    {
        if (socket.State != WebSocketState.Aborted)
        {
            return;
        }

        try
        {
            await Task.Delay(_options.CloseTimeout, time, aborted);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReleaseAsync(ChatConnection connection, WebSocket socket, WebSocketCloseStatus status)
    {
        try
        {
            await relay.ReleaseConnectionAsync(connection);
            await grains.User(connection.User).Disconnect(connection.Id);
        }
        catch (Exception ex)
        {
            LogReleaseFailed(logger, ex, connection.Id);
        }

        // The peer's own close status where it closed first, else the one this side sent.
        var code = (int)(socket.CloseStatus ?? status);
        var reason = socket.CloseStatusDescription ?? ConnectionLifecycle.CloseReason(status);
        LogClosed(logger, connection.Id, connection.User, code, reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId} of {User} opened")]
    private static partial void LogOpened(ILogger logger, string connectionId, string user);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId} of {User} closed with {CloseCode} {CloseReason}")]
    private static partial void LogClosed(ILogger logger, string connectionId, string user, int closeCode, string closeReason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} of {User} kept flooding after rate limiting; closing it with 1008")]
    private static partial void LogFlooding(ILogger logger, string connectionId, string user);

    [LoggerMessage(Level = LogLevel.Error, Message = "A request on connection {ConnectionId} failed")]
    private static partial void LogRequestFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing connection {ConnectionId} failed")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string connectionId);
}
