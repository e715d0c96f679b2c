namespace ActorChat.Storage;

/// <summary>The webhook outbox, for the dispatcher that delivers it (on every silo; claims keep them apart).</summary>
public interface IWebhookStore
{
    /// <summary>Claims up to <paramref name="limit"/> deliveries due by <paramref name="now"/> for <paramref name="lease"/>.</summary>
    Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int limit);

    Task DeliveredAsync(string eventId, string endpoint, DateTimeOffset at);

    /// <summary>An attempt failed: try again at <paramref name="nextAt"/>, or, when null, give up (dead letter).</summary>
    Task FailedAsync(string eventId, string endpoint, string error, DateTimeOffset at, DateTimeOffset? nextAt);

    Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(int limit);

    /// <summary>Puts dead letters of an event (one endpoint's, or all) back in line; how many.</summary>
    Task<int> ReplayAsync(string eventId, string? endpoint, DateTimeOffset now);

    /// <summary>When the oldest delivery still waiting was made, or null.</summary>
    Task<DateTimeOffset?> OldestPendingAsync();

    /// <summary>Notices gathered since before <paramref name="cutoff"/>.</summary>
    Task<IReadOnlyList<Notice>> DueNoticesAsync(DateTimeOffset cutoff, int limit);

    /// <summary>Takes a notice (if no newer message joined it meanwhile) and stores its event, if any, in the same commit.</summary>
    Task<bool> TakeNoticeAsync(Notice notice, OutboxEvent? notification);
}
