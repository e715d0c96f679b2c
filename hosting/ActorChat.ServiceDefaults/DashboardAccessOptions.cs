using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ActorChat.ServiceDefaults;

/// <summary>Who may open the Orleans dashboard, bound from <c>ActorChat:Dashboard</c>. See docs/configuration.md.</summary>
public sealed class DashboardAccessOptions : IValidatableObject
{
    public const string Section = "ActorChat:Dashboard";

    /// <summary>Shortest key accepted: the key is all that stands between the network and the cluster's internals.</summary>
    public const int MinimumKeyLength = 16;

    /// <summary>
    /// The key that opens <c>/dashboard</c>. Without one the dashboard is open in the Development environment and
    /// not served at all anywhere else. Empty counts as unset, so a deployment can pass an optional variable through.
    /// </summary>
    public string? Key { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(Key) && Key.Length < MinimumKeyLength)
        {
            yield return new ValidationResult($"ActorChat:Dashboard:Key must be at least {MinimumKeyLength} characters.");
        }
    }
}

[OptionsValidator]
internal sealed partial class DashboardAccessOptionsValidator : IValidateOptions<DashboardAccessOptions>;
