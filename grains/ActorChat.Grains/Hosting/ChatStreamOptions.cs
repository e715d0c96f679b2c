using System.ComponentModel.DataAnnotations;

namespace ActorChat.Grains.Hosting;

/// <summary>
/// The event streams front ends of earlier releases follow, bound from <c>ActorChat:Streams</c>: off by default (front
/// ends of this release are told by the grains directly), on while a rolling upgrade still runs older front ends.
/// See docs/configuration.md and docs/operations.md.
/// </summary>
public sealed class ChatStreamOptions
{
    public const string Section = "ActorChat:Streams";

    /// <summary>
    /// Publish room events, directory batches and ended sessions on the streams earlier front ends subscribe to, and
    /// run the stream provider (its pulling agents poll every queue whether or not anything happened).
    /// </summary>
    public bool Publish { get; set; }

    /// <summary>How often each stream queue is polled for new events; the upper bound of the stream's added latency.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Queues events are spread over; each silo pulls from its share.</summary>
    [Range(1, 1024)]
    public int QueueCount { get; set; } = 8;
}
