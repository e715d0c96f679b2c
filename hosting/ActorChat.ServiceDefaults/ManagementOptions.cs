using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace ActorChat.ServiceDefaults;

/// <summary>A listener for operators apart from the public one, bound from <c>ActorChat:Management</c>. See docs/configuration.md.</summary>
public sealed class ManagementOptions : IValidatableObject
{
    public const string Section = "ActorChat:Management";

    /// <summary>
    /// URLs Kestrel listens on besides the public ones, separated by semicolons like <c>ASPNETCORE_URLS</c>
    /// (e.g. <c>http://0.0.0.0:9090</c>). When set, <c>/dashboard</c> and <c>/metrics</c> are served there and nowhere
    /// else. Each needs a port of its own: the listener is told apart from the public one by the port a request came in on.
    /// </summary>
    public string? Urls { get; set; }

    public IReadOnlyList<BindingAddress> Addresses =>
        [.. (Urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(BindingAddress.Parse)];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var url in (Urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Parse(url) is not { } address || address.IsUnixPipe || address.Scheme is not ("http" or "https"))
            {
                yield return new ValidationResult($"ActorChat:Management:Urls: '{url}' is not an http(s) URL with a port, like http://0.0.0.0:9090.");
            }
            else if (address.Port == 0)
            {
                yield return new ValidationResult($"ActorChat:Management:Urls: '{url}' needs a fixed port, not 0: requests are told apart by the port they came in on.");
            }
        }
    }

    private static BindingAddress? Parse(string url)
    {
        try
        {
            return BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

[OptionsValidator]
internal sealed partial class ManagementOptionsValidator : IValidateOptions<ManagementOptions>;
