using System.Net.Http.Headers;
using System.Text;
using ActorChat.Contracts;
using ActorChat.Grains.Hosting;
using ActorChat.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorChat.Grains.Webhooks;

/// <summary>
/// Delivers the outbox: at least once, never in the way of a send (sends only write the outbox). Each silo runs one;
/// a delivery is claimed with a lease, so two silos do not post the same event at once. Failures are retried with
/// exponential backoff and jitter; after the last attempt the delivery becomes a dead letter an operator can replay.
/// It also turns the notices of users written to while away into <c>notification.needed</c>, once per interval.
/// </summary>
internal sealed partial class WebhookDispatcher(
    ChatStoreHost host,
    WebhookOutbox outbox,
    IGrainFactory grains,
    IHttpClientFactory http,
    IOptions<WebhookOptions> options,
    WebhookMetrics metrics,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "actorchat-webhooks";

    private readonly WebhookOptions _options = options.Value;
    private readonly Dictionary<string, (WebhookEndpointOptions Endpoint, SemaphoreSlim Slots)> _endpoints =
        options.Value.Endpoints.ToDictionary(e => e.Name, e => (e, new SemaphoreSlim(e.MaxConcurrency)), StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_endpoints.Count == 0)
        {
            return;
        }

        using var slots = new SemaphoreSlim(_options.MaxInFlight);
        var inFlight = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepNoticesAsync();
                var free = _options.MaxInFlight - inFlight.Count(t => !t.IsCompleted);
                inFlight.RemoveAll(t => t.IsCompleted);
                if (free > 0)
                {
                    // Claimed for longer than an attempt can take: a silo that dies mid-attempt releases its claims by time.
                    var lease = (_options.Timeout * 2) + TimeSpan.FromSeconds(5);
                    foreach (var delivery in await host.Webhooks.ClaimDueAsync(time.GetUtcNow(), lease, free))
                    {
                        inFlight.Add(DeliverAsync(delivery, stoppingToken));
                    }
                }

                var oldest = await host.Webhooks.OldestPendingAsync();
                metrics.OldestPending(oldest is { } at ? time.GetUtcNow() - at : TimeSpan.Zero);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogDispatchFailed(logger, ex);
            }

            try
            {
                await Task.Delay(_options.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(inFlight);
        foreach (var (_, slots2) in _endpoints.Values)
        {
            slots2.Dispose();
        }
    }

    private async Task DeliverAsync(DueDelivery delivery, CancellationToken stoppingToken)
    {
        if (!_endpoints.TryGetValue(delivery.Endpoint, out var target))
        {
            // An endpoint taken out of the configuration: its deliveries wait (an operator may add it back, or replay).
            return;
        }

        await target.Slots.WaitAsync(stoppingToken);
        try
        {
            var (ok, error) = await PostAsync(target.Endpoint, delivery, stoppingToken);
            var now = time.GetUtcNow();
            if (ok)
            {
                await host.Webhooks.DeliveredAsync(delivery.EventId, delivery.Endpoint, now);
                metrics.Delivered(delivery.Endpoint);
                return;
            }

            var attempts = delivery.Attempts + 1;
            if (attempts >= _options.MaxAttempts)
            {
                await host.Webhooks.FailedAsync(delivery.EventId, delivery.Endpoint, error, now, nextAt: null);
                metrics.DeadLettered(delivery.Endpoint);
                LogDeadLettered(logger, delivery.EventId, delivery.Endpoint, attempts, error);
                return;
            }

            await host.Webhooks.FailedAsync(delivery.EventId, delivery.Endpoint, error, now, now + Backoff(attempts));
            metrics.Retried(delivery.Endpoint);
            LogRetrying(logger, delivery.EventId, delivery.Endpoint, attempts, error);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The lease runs out and another pass takes it up.
            LogDispatchFailed(logger, ex);
        }
        finally
        {
            target.Slots.Release();
        }
    }

    private async Task<(bool Ok, string Error)> PostAsync(WebhookEndpointOptions endpoint, DueDelivery delivery, CancellationToken stoppingToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add(WebhookSignature.DeliveryHeader, delivery.EventId);
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(endpoint.Secret, time.GetUtcNow(), delivery.Body));
        request.Headers.Add("ActorChat-Event", delivery.Kind);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode ? (true, string.Empty) : (false, $"HTTP {(int)response.StatusCode}");
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return (false, $"no answer within {_options.Timeout}");
        }
        catch (HttpRequestException ex)
        {
            return (false, ex.Message);
        }
    }

    /// <summary>Exponential, capped, with jitter: receivers that come back are not met by every sender at once.</summary>
    private TimeSpan Backoff(int attempts)
    {
        var ceiling = Math.Min(_options.MaxBackoff.TotalMilliseconds, _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, attempts - 1));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
    }

    private async Task SweepNoticesAsync()
    {
        if (!outbox.WantsNotices)
        {
            return;
        }

        foreach (var notice in await host.Webhooks.DueNoticesAsync(time.GetUtcNow() - _options.NotificationInterval, 100))
        {
            // Someone who came back within the interval has seen it; only the absent are pushed to.
            var away = !await grains.User(notice.User).IsOnline();
            var notification = away ? outbox.Notification(notice, await host.Store.MessageAsync(notice.Room, notice.LastSeq)) : null;
            await host.Webhooks.TakeNoticeAsync(notice, notification);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {EventId} to {Endpoint} failed (attempt {Attempt}): {Error}; retrying")]
    private static partial void LogRetrying(ILogger logger, string eventId, string endpoint, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {EventId} to {Endpoint} gave up after {Attempts} attempts ({Error}); kept as a dead letter")]
    private static partial void LogDeadLettered(ILogger logger, string eventId, string endpoint, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A pass of the webhook dispatcher failed; the next one tries again")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);
}
