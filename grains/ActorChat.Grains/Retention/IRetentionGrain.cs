namespace ActorChat.Grains.Retention;

/// <summary>
/// The retention sweep, one for the cluster: each call visits the next few rooms and deletes what
/// <c>ActorChat:Rooms:RetainMessages</c> and <c>RetainFor</c> no longer keep. Rooms need not be active: a room
/// that fell silent is trimmed all the same.
/// </summary>
[Alias("ActorChat.IRetentionGrain")]
public interface IRetentionGrain : IGrainWithIntegerKey
{
    const long Key = 0;

    /// <summary>One bounded step; <see cref="RetentionStep.Wrapped"/> once it has passed the last room.</summary>
    [Alias("Sweep")]
    Task<RetentionStep> Sweep();
}

[GenerateSerializer]
[Alias("ActorChat.RetentionStep")]
[Immutable]
public sealed record RetentionStep(
    [property: Id(0)] int Rooms,
    [property: Id(1)] int Deleted,
    [property: Id(2)] bool Wrapped);
