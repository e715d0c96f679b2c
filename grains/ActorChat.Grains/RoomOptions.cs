using System.ComponentModel.DataAnnotations;

namespace ActorChat.Grains;

/// <summary>Room limits, bound from <c>ActorChat:Rooms</c>. See docs/configuration.md.</summary>
public sealed class RoomOptions
{
    public const string Section = "ActorChat:Rooms";

    /// <summary>Messages per stored history chunk. Fixed for a room when its log is created.</summary>
    [Range(16, 10_000)]
    public int ChunkSize { get; set; } = 256;

    /// <summary>How many recent client message ids per room are remembered for de-duplication.</summary>
    [Range(0, 100_000)]
    public int DedupWindow { get; set; } = 1000;

    /// <summary>Rooms with more members than this emit no presence, typing or read events (each costs O(members)).</summary>
    [Range(0, 1_000_000)]
    public int PresenceMemberLimit { get; set; } = 1000;

    /// <summary>
    /// Keep at least this many of a room's newest messages; older sealed chunks are dropped. 0 keeps everything.
    /// Applied whenever a chunk is sealed, a whole chunk at a time.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long RetainMessages { get; set; }

    /// <summary>Drop sealed chunks whose newest message is older than this. Zero keeps everything.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "36500.00:00:00")]
    public TimeSpan RetainFor { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// The public room directory publishes its changes at most this often, in one batch: a join anywhere must not
    /// cost a frame on every socket that watches the list.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan DirectoryInterval { get; set; } = TimeSpan.FromSeconds(1);
}
