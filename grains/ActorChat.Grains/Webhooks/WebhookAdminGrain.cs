using ActorChat.Contracts;
using ActorChat.Grains.Hosting;
using Orleans.Concurrency;

namespace ActorChat.Grains.Webhooks;

/// <summary>Reads and replays the outbox's dead letters where the store is: on any silo, never in the front end.</summary>
[StatelessWorker]
internal sealed class WebhookAdminGrain(ChatStoreHost host, TimeProvider time) : Grain, IWebhookAdminGrain
{
    public async Task<IReadOnlyList<WebhookDeadLetter>> DeadLetters(int limit)
    {
        var letters = await host.Webhooks.DeadLettersAsync(Math.Clamp(limit, 1, 1000));
        return [.. letters.Select(d => new WebhookDeadLetter(d.EventId, d.Endpoint, d.Kind, d.Attempts, d.LastError, d.CreatedAt, d.FailedAt))];
    }

    public Task<int> Replay(string eventId, string? endpoint) => host.Webhooks.ReplayAsync(eventId, endpoint, time.GetUtcNow());
}
