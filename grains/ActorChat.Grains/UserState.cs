namespace ActorChat.Grains;

[GenerateSerializer]
[Alias("ActorChat.Grains.UserState")]
public sealed class UserState
{
    /// <summary>Room id to the highest sequence the user has read there.</summary>
    [Id(0)]
    public SortedDictionary<string, long> Rooms { get; set; } = new(StringComparer.Ordinal);
}
