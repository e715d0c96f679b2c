using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.Auth;

/// <summary>Token settings, bound from <c>ActorChat:Auth</c>. See docs/configuration.md.</summary>
public sealed class AuthOptions
{
    public const string Section = "ActorChat:Auth";

    /// <summary>
    /// HMAC-SHA256 key for signing and checking tokens: at least 32 bytes of UTF-8, no placeholder, enough entropy
    /// (<see cref="SigningKeyPolicy"/>). When empty, a random key is made at start (tokens then die with the process,
    /// and front ends do not share them).
    /// </summary>
    public string? SigningKey { get; set; }

    [Required]
    public string Issuer { get; set; } = "actorchat";

    [Required]
    public string Audience { get; set; } = "actorchat";

    /// <summary>Lifetime of tokens from the dev login.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// An OpenID Connect authority (e.g. <c>https://login.example.com/realms/chat</c>) whose published keys sign
    /// tokens. When set, <see cref="SigningKey"/> is not used to check tokens.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>
    /// Whether <c>POST /api/auth/token</c> hands out tokens to anyone who names a user. Unset: on in the Development
    /// environment without an <see cref="Authority"/>, off otherwise; true or false set here wins.
    /// </summary>
    public bool? DevLogin { get; set; }

    /// <summary>
    /// How long a ticket from <c>POST /api/auth/ticket</c> may wait to open a socket or an event stream. Seconds are
    /// enough: clients ask for one right before they connect.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan TicketLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Deprecated: accept the bearer token as <c>?access_token=</c> on the socket and event-stream endpoints, for
    /// clients older than tickets. Off, because proxies write query strings to their access logs.
    /// </summary>
    public bool AllowQueryToken { get; set; }
}

[OptionsValidator]
internal sealed partial class AuthOptionsValidator : IValidateOptions<AuthOptions>;
