using System.ComponentModel.DataAnnotations;

namespace ActorChat.Grains.Hosting;

/// <summary>Event stream tuning, bound from <c>ActorChat:Streams</c>. See docs/configuration.md.</summary>
public sealed class ChatStreamOptions
{
    public const string Section = "ActorChat:Streams";

    /// <summary>How often each stream queue is polled for new events; the upper bound of the stream's added latency.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Queues events are spread over; each silo pulls from its share.</summary>
    [Range(1, 1024)]
    public int QueueCount { get; set; } = 8;
}
