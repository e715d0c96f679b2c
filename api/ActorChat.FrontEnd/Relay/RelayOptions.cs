using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.Relay;

/// <summary>Relay self-repair, bound from <c>ActorChat:Relay</c>. See docs/configuration.md.</summary>
public sealed class RelayOptions
{
    public const string Section = "ActorChat:Relay";

    /// <summary>
    /// How often this node watches each room it follows again. The watch answers the room's last position, so a lost
    /// last event is delivered even when no newer message reveals the gap, and it renews the watch, which lives only
    /// in the room's activation and lapses after the silos' <c>ActorChat:Rooms:WatchExpiry</c> (1 minute): keep this
    /// well below that. Costs one grain call per room per interval, and keeps the room from idle collection.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often this node attaches again to the grain of each user connected here. The attachment (what makes the
    /// user's direct messages, invitations and ended sessions reach this node) lives only in the grain's activation,
    /// so a silo that dies takes it along; this bounds how long such a user's events miss this node. Costs one grain
    /// call per connected user per interval. These calls also keep the grain from idle collection, so the interval
    /// stays below Orleans' collection age (15 minutes).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan UserCheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}

[OptionsValidator]
internal sealed partial class RelayOptionsValidator : IValidateOptions<RelayOptions>;
