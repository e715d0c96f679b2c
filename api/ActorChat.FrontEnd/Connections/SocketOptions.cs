using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.Connections;

/// <summary>Per-socket limits of the WebSocket endpoint, bound from <c>ActorChat:Sockets</c>. See docs/configuration.md.</summary>
public sealed class SocketOptions
{
    public const string Section = "ActorChat:Sockets";

    /// <summary>Largest inbound message (all frames of it); a bigger one closes the socket with 1009.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Frames waiting to be written to one socket before it counts as a slow consumer.</summary>
    [Range(16, 1_000_000)]
    public int OutboundQueueMessages { get; set; } = 1024;

    /// <summary>Bytes waiting to be written to one socket before it counts as a slow consumer.</summary>
    [Range(64 * 1024, 1024 * 1024 * 1024)]
    public int OutboundQueueBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Sends (<c>send</c>, <c>dm</c>) one connection may have waiting for their commit at once; the server stops
    /// reading the connection while that many wait. 1 handles each request after the one before it has finished.
    /// </summary>
    [Range(1, 10_000)]
    public int PipelinedSends { get; set; } = 64;

    /// <summary>Rooms one connection may have joined at once.</summary>
    [Range(1, 100_000)]
    public int MaxRoomsPerConnection { get; set; } = 256;

    /// <summary>Requests a connection may make per second, on average.</summary>
    [Range(0.1, 1_000_000)]
    public double RequestsPerSecond { get; set; } = 20;

    /// <summary>Requests a connection may make at once after being quiet.</summary>
    [Range(1, 1_000_000)]
    public double RequestBurst { get; set; } = 40;

    /// <summary>
    /// Rooms a <c>rooms</c> answer may list for one request from the budget; each further this many cost one more
    /// (counting a room's unread messages reads up to 1,000 of them, so a user in many rooms asks for much more work).
    /// </summary>
    [Range(1, 1_000_000)]
    public int RoomsPerRequest { get; set; } = 50;

    /// <summary>Requests refused as <c>rate_limited</c> in a row before the connection is closed with 1008.</summary>
    [Range(1, 1_000_000)]
    public int FloodCloseAfter { get; set; } = 100;

    /// <summary>Open sockets and event streams one user may have on this node; the next socket is closed with 4029 (a stream gets 429).</summary>
    [Range(1, 1_000_000)]
    public int MaxConnectionsPerUser { get; set; } = 20;

    /// <summary>Open sockets and event streams this node holds; the next socket is closed with 1013 (a stream gets 503).</summary>
    [Range(1, 10_000_000)]
    public int MaxConnectionsPerNode { get; set; } = 20_000;

    /// <summary>Origins a browser socket may come from (cross-site WebSocket hijacking); empty allows any. Requests without an Origin header (non-browser clients) are not affected.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Interval of server pings that keep idle sockets and proxies alive.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the server waits for the pong to a keep-alive ping before it drops a peer that vanished without closing.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the node's write round waits, when frames are queued while no round is running, before it writes
    /// them, so that what follows within it goes out in the same send calls: messages sent together reach the relay
    /// in more than one commit. Rounded up to whole milliseconds, and the wait ends at the system timer's next tick; zero writes at once.
    /// Replies wait as well.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:00.010")]
    public TimeSpan WriteLinger { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>How long a closing socket may take to flush its queue and finish the close handshake.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

[OptionsValidator]
internal sealed partial class SocketOptionsValidator : IValidateOptions<SocketOptions>;
