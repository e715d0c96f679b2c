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
}
