using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.Limits;

/// <summary>Limits of the REST API, bound from <c>ActorChat:Rest</c>. See docs/configuration.md.</summary>
public sealed class RestOptions
{
    public const string Section = "ActorChat:Rest";

    /// <summary>
    /// Largest request body under <c>/api</c>; a larger one is refused with 413 before it is read. The default
    /// holds the longest valid message with every character escaped (6 bytes each) and room to spare.
    /// </summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;
}

[OptionsValidator]
internal sealed partial class RestOptionsValidator : IValidateOptions<RestOptions>;
