namespace ActorChat.Grains.Retention;

/// <summary>
/// What <c>ActorChat:Rooms:RetainMessages</c> and <c>RetainFor</c> keep. The sweep deletes the rest from the store
/// in its own time; rooms apply the same rule to what they serve, so a message past retention is never shown,
/// whenever the sweep comes by.
/// </summary>
internal sealed class RetentionRule(RoomOptions options, TimeProvider time)
{
    public bool Keeps(long seq, DateTimeOffset ts, long lastSeq) =>
        (options.RetainMessages == 0 || seq > lastSeq - options.RetainMessages) &&
        (options.RetainFor == TimeSpan.Zero || ts >= time.GetUtcNow() - options.RetainFor);
}
