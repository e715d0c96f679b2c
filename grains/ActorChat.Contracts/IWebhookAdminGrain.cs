namespace ActorChat.Contracts;

/// <summary>
/// What an operator does with webhook deliveries that gave up (server API): list the dead letters and put them back in
/// line. A stateless worker on every silo, key <see cref="Key"/>; the outbox it reads is the store's.
/// </summary>
[Alias("ActorChat.IWebhookAdminGrain")]
public interface IWebhookAdminGrain : IGrainWithIntegerKey
{
    const long Key = 0;

    /// <summary>Up to <paramref name="limit"/> dead letters, the most recent failures first.</summary>
    [Alias("DeadLetters")]
    Task<IReadOnlyList<WebhookDeadLetter>> DeadLetters(int limit);

    /// <summary>Puts the dead letters of one event (to one endpoint, or to all) back in line; how many.</summary>
    [Alias("Replay")]
    Task<int> Replay(string eventId, string? endpoint);
}

/// <summary>A delivery that failed <see cref="Attempts"/> times and was given up.</summary>
[GenerateSerializer]
[Alias("ActorChat.WebhookDeadLetter")]
[Immutable]
public sealed record WebhookDeadLetter(
    [property: Id(0)] string EventId,
    [property: Id(1)] string Endpoint,
    [property: Id(2)] string Type,
    [property: Id(3)] int Attempts,
    [property: Id(4)] string? LastError,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset FailedAt);
