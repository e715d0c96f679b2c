using System.Globalization;
using System.Net.WebSockets;
using ActorChat.Contracts;
using ActorChat.FrontEnd.Auth;
using ActorChat.FrontEnd.Connections;
using ActorChat.FrontEnd.Protocol;
using ActorChat.FrontEnd.Relay;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.Sse;

/// <summary>
/// <c>GET /api/rooms/{room}/events</c>: one room's events as Server-Sent Events for followers that never send.
/// It rides the same relay, queue and limits as a socket that joined the room.
/// </summary>
internal sealed partial class RoomEventStream(
    IGrainFactory grains,
    ChatRelay relay,
    ConnectionRegistry registry,
    ConnectionAdmission admission,
    ConnectionLifecycle lifecycle,
    IOptions<SocketOptions> socketOptions,
    TimeProvider time,
    ILogger<RoomEventStream> logger)
{
    private readonly SocketOptions _options = socketOptions.Value;

    public async Task RunAsync(HttpContext context, string room)
    {
        var user = context.ChatUser();
        string id;
        long? since;
        JoinResult joined;
        try
        {
            id = RequestRules.JoinableRoom(room, user);
            since = Since(context.Request);
        }
        catch (ProtocolException ex)
        {
            await ChatProblems.From(ex.Code, ex.Message).ExecuteAsync(context);
            return;
        }

        if (!await admission.TryAdmitAsync(context, user))
        {
            return;
        }

        try
        {
            try
            {
                // Joining is what gives the right to follow a room, as on the socket.
                joined = await grains.Room(id).Join(user);
            }
            catch (ChatException ex)
            {
                await ChatProblems.From(ex.Code, ex.Message).ExecuteAsync(context);
                return;
            }

            var response = context.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await lifecycle.RunAsync(user, new SseTransport(context), context.TokenIssuedAt(), context.TokenExpiry(), room: id,
                serve: connection => ServeAsync(connection, context, id, since, joined),
                release: (connection, _) => ReleaseAsync(connection, id));
        }
        finally
        {
            registry.Release(user);
        }
    }

    private async Task<WebSocketCloseStatus> ServeAsync(ChatConnection connection, HttpContext context, string room, long? since, JoinResult joined)
    {
        LogOpened(logger, connection.Id, connection.User, room, since);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, connection.Aborted);
        var heartbeat = BeatAsync(connection, stop.Token);
        try
        {
            var resume = ResumePoint.Of(joined, since);
            var ready = Frames.Ready(room, joined, resume.Recovered);
            await relay.FollowUserAsync(connection, events: false);
            await relay.FollowRoomAsync(connection, room, resume.Cursor, () => connection.SendAsync(ready).AsTask());

            // Runs until the client goes away or the connection is closed (shutdown, slow consumer, token expiry).
            await connection.Completion.WaitAsync(context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, connection.Id);
        }
        finally
        {
            await stop.CancelAsync();
            await heartbeat;
        }

        // Endings of the connection's own (4001, 4008, 1012) went out as the last event; otherwise the client has left.
        return WebSocketCloseStatus.NormalClosure;
    }

    private async Task ReleaseAsync(ChatConnection connection, string room)
    {
        try
        {
            await relay.ReleaseConnectionAsync(connection);
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, connection.Id);
        }

        LogClosed(logger, connection.Id, connection.User, room);
    }

    private async Task BeatAsync(ChatConnection connection, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_options.KeepAliveInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop) && !connection.IsClosing)
            {
                connection.TrySend(SseTransport.Heartbeat);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary><c>Last-Event-ID</c> (an <c>EventSource</c> reconnecting) wins over <c>?since=</c> (a first connect).</summary>
    private static long? Since(HttpRequest request)
    {
        var raw = request.Headers["Last-Event-ID"].ToString();
        if (string.IsNullOrEmpty(raw))
        {
            raw = request.Query["since"].ToString();
        }

        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        return long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var since)
            ? since
            : throw new ProtocolException(ChatErrorCode.BadRequest, "Last-Event-ID and since must be a sequence number (an integer >= 0).");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event stream {ConnectionId} of {User} opened on room {Room} since {Since}")]
    private static partial void LogOpened(ILogger logger, string connectionId, string user, string room, long? since);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event stream {ConnectionId} of {User} on room {Room} closed")]
    private static partial void LogClosed(ILogger logger, string connectionId, string user, string room);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event stream {ConnectionId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string connectionId);
}
