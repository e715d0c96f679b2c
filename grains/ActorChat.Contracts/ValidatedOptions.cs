using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ActorChat.Contracts;

/// <summary>
/// How every ActorChat settings class is registered: bound from its configuration section, checked by its validator
/// (usually an <c>[OptionsValidator]</c>) when the host starts, so a bad value stops the start with its name rather
/// than failing the first request that reads it. Here because every process of ours references the contracts.
/// </summary>
public static class ValidatedOptions
{
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        // TryAddEnumerable: a process that hosts a silo and a front end registers shared settings (the limits) twice.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }
}
