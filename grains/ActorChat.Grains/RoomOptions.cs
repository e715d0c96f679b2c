using System.ComponentModel.DataAnnotations;

namespace ActorChat.Grains;

/// <summary>Room limits, bound from <c>ActorChat:Rooms</c>. See docs/configuration.md.</summary>
public sealed class RoomOptions
{
    public const string Section = "ActorChat:Rooms";

    /// <summary>How many recent client message ids per room are remembered for de-duplication.</summary>
    [Range(0, 100_000)]
    public int DedupWindow { get; set; } = 1000;

    /// <summary>Rooms with more members than this emit no presence, typing or read events (each costs O(members)).</summary>
    [Range(0, 1_000_000)]
    public int PresenceMemberLimit { get; set; } = 1000;

    /// <summary>How long after sending its author may edit a message.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan EditWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Newest messages a room keeps in memory, so resumes and relay repairs need no store read.</summary>
    [Range(0, 100_000)]
    public int RecentMessages { get; set; } = 256;

    /// <summary>Users whose membership a room remembers (least recently seen out), so a send checks it without a store read.</summary>
    [Range(0, 10_000_000)]
    public int MemberCacheSize { get; set; } = 4096;

    /// <summary>Keep at least this many of a room's newest messages; older ones are deleted by the retention sweep. 0 keeps everything.</summary>
    [Range(0, long.MaxValue)]
    public long RetainMessages { get; set; }

    /// <summary>Delete messages older than this (retention sweep). Zero keeps everything.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "36500.00:00:00")]
    public TimeSpan RetainFor { get; set; } = TimeSpan.Zero;

    /// <summary>How often the retention sweep walks every room; it runs whether or not rooms get traffic.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Rooms one retention step visits, and messages it deletes from each: the sweep's work comes in bounded pieces.</summary>
    [Range(1, 100_000)]
    public int RetentionBatch { get; set; } = 500;

    /// <summary>
    /// The public room directory publishes its changes at most this often, in one batch: a join anywhere must not
    /// cost a frame on every socket that watches the list.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan DirectoryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A front-end node's watch of a room lapses when not renewed for this long, so a node that died is no longer told.
    /// Nodes renew every <c>ActorChat:Relay:CheckInterval</c> (10 s): keep this well above that.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan WatchExpiry { get; set; } = TimeSpan.FromMinutes(1);

    internal bool Retains => RetainMessages > 0 || RetainFor > TimeSpan.Zero;
}
