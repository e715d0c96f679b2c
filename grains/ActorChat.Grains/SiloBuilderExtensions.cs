using ActorChat.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ActorChat.Grains;

public static class SiloBuilderExtensions
{
    /// <summary>
    /// Registers ActorChat's grains, options, stream provider and (unless <paramref name="storage"/> registers
    /// its own) in-memory grain storage under the names in <see cref="ChatProviders"/>.
    /// </summary>
    public static ISiloBuilder AddActorChatGrains(this ISiloBuilder silo, IConfiguration configuration, Action<ISiloBuilder>? storage = null)
    {
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddOptions<RoomOptions>().Bind(configuration.GetSection(RoomOptions.Section)).ValidateOnStart();
        silo.Services.AddSingleton<IValidateOptions<RoomOptions>, RoomOptionsValidator>();
        silo.Services.AddOptions<ChatLimits>().Bind(configuration.GetSection(ChatLimits.Section)).ValidateOnStart();
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChatLimits>, ChatLimitsValidator>());

        // Stream tuning is read now because the provider is configured now; validate it the same way up front.
        var streams = configuration.GetSection(ChatStreamOptions.Section).Get<ChatStreamOptions>() ?? new ChatStreamOptions();
        var verdict = new ChatStreamOptionsValidator().Validate(null, streams);
        if (verdict.Failed)
        {
            throw new OptionsValidationException(ChatStreamOptions.Section, typeof(ChatStreamOptions), verdict.Failures);
        }

        if (storage is null)
        {
            silo.AddMemoryGrainStorage(ChatProviders.Storage);
            silo.AddMemoryGrainStorage(ChatProviders.PubSubStorage);
        }
        else
        {
            storage(silo);
        }

        silo.AddMemoryStreams(ChatProviders.Streams, stream =>
        {
            stream.ConfigurePartitioning(streams.QueueCount);
            stream.ConfigurePullingAgent(agent => agent.Configure(o => o.GetQueueMsgsTimerPeriod = streams.PollInterval));
        });
        return silo;
    }
}
