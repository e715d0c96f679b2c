using System.ComponentModel.DataAnnotations;

namespace ActorChat.Grains.Hosting;

/// <summary>Event stream tuning, bound from <c>ActorChat:Streams</c>. See docs/configuration.md.</summary>
public sealed class ChatStreamOptions
{
    public const string Section = "ActorChat:Streams";

    /// <summary>
    /// How often each stream queue is polled for new events; the upper bound of the stream's added latency. Streams
    /// carry only the directory's batches (at most one per <c>ActorChat:Rooms:DirectoryInterval</c>) and what front
    /// ends of the release before listen to, so they are polled rarely: each poll of each queue costs CPU, busy or not.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Queues events are spread over; each silo pulls from its share.</summary>
    [Range(1, 1024)]
    public int QueueCount { get; set; } = 8;

    /// <summary>
    /// Also publish every room event on the room's stream, as releases before room watches did: on only while a
    /// rolling upgrade still runs front ends of that release (docs/operations.md). Costs a queue hop per event.
    /// </summary>
    public bool PublishRoomStreams { get; set; }
}
