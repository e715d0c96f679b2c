using ActorChat.Contracts;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace ActorChat.Grains.Rooms;

/// <summary>
/// Publishes a room's events on its stream, and hands direct messages to both participants' user grains. A failed
/// publish is logged, never thrown: the message is stored, and relays repair gaps from storage.
/// </summary>
internal sealed partial class RoomEvents(string room, IStreamProvider streams, IGrainFactory grains, ILogger logger)
{
    private readonly IAsyncStream<RoomEvent> _stream = streams.GetStream<RoomEvent>(ChatStreams.ForRoom(room));

    public async Task PublishAsync(RoomEvent roomEvent)
    {
        try
        {
            await _stream.OnNextAsync(roomEvent);
        }
        catch (Exception ex)
        {
            LogPublishFailed(logger, ex, room);
        }
    }

    public async Task PublishAsync(List<RoomEvent> events)
    {
        if (events.Count == 1)
        {
            await PublishAsync(events[0]);
            return;
        }

        try
        {
            await _stream.OnNextBatchAsync(events);
        }
        catch (Exception ex)
        {
            LogPublishFailed(logger, ex, room);
        }
    }

    public async Task DeliverDirectAsync(string user, ChatMessage message)
    {
        try
        {
            await grains.GetGrain<IUserGrain>(user).DeliverDirect(message);
        }
        catch (Exception ex)
        {
            LogPublishFailed(logger, ex, room);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing an event of room {Room} failed; relays repair gaps from storage")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string room);
}
