using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ActorChat.Grains.Webhooks;

/// <summary>Where and how events are posted to backends, bound from <c>ActorChat:Webhooks</c>. See docs/configuration.md.</summary>
public sealed class WebhookOptions
{
    public const string Section = "ActorChat:Webhooks";

    /// <summary>The backends that receive events.</summary>
    [ValidateEnumeratedItems]
    public List<WebhookEndpointOptions> Endpoints { get; set; } = [];

    /// <summary>Direct messages and mentions a user got while away are told in one <c>notification.needed</c> per room per this interval.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan NotificationInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts of one delivery before it goes to the dead letters.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait before the second attempt; each later wait doubles (with jitter), up to <see cref="MaxBackoff"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long one attempt may take; a receiver slower than this is retried.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the outbox is looked at for deliveries due: the most a delivery waits after its event.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Deliveries one silo attempts at once, over all endpoints.</summary>
    [Range(1, 10_000)]
    public int MaxInFlight { get; set; } = 64;
}

/// <summary>One backend that receives events.</summary>
public sealed class WebhookEndpointOptions
{
    /// <summary>A name for logs, metrics and dead letters.</summary>
    [Required]
    [RegularExpression(@"\A[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z")]
    public string Name { get; set; } = string.Empty;

    [Required]
    public Uri? Url { get; set; }

    /// <summary>The key every delivery is signed with (HMAC-SHA256); the receiver holds it too.</summary>
    [Required]
    [MinLength(16)]
    public string Secret { get; set; } = string.Empty;

    /// <summary>Event types it receives (<c>message.created</c>, ...); empty: all of them.</summary>
    public List<string> Events { get; set; } = [];

    /// <summary>Rooms it hears of: ids, or prefixes ending in <c>*</c>; empty: every room.</summary>
    public List<string> Rooms { get; set; } = [];

    /// <summary>Deliveries to this endpoint at once.</summary>
    [Range(1, 1000)]
    public int MaxConcurrency { get; set; } = 4;
}

[OptionsValidator]
internal sealed partial class WebhookOptionsValidator : IValidateOptions<WebhookOptions>;
