using Microsoft.Extensions.Options;

namespace ActorChat.Grains.Hosting;

[OptionsValidator]
internal sealed partial class RoomOptionsValidator : IValidateOptions<RoomOptions>;

[OptionsValidator]
internal sealed partial class ChatStreamOptionsValidator : IValidateOptions<ChatStreamOptions>;

[OptionsValidator]
internal sealed partial class ChatClusterOptionsValidator : IValidateOptions<ChatClusterOptions>;

[OptionsValidator]
internal sealed partial class ClusterTlsOptionsValidator : IValidateOptions<ClusterTlsOptions>;

internal static class OptionsReader
{
    /// <summary>Reads and validates options needed while the host is still being built.</summary>
    public static T Read<T>(this Microsoft.Extensions.Configuration.IConfiguration configuration, string section, IValidateOptions<T> validator)
        where T : class, new()
    {
        var value = Microsoft.Extensions.Configuration.ConfigurationBinder.Get<T>(configuration.GetSection(section)) ?? new T();
        var verdict = validator.Validate(null, value);
        return verdict.Failed ? throw new OptionsValidationException(section, typeof(T), verdict.Failures) : value;
    }
}
