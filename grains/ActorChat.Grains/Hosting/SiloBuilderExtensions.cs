using ActorChat.Contracts;
using ActorChat.Grains.Retention;
using ActorChat.Grains.Webhooks;
using ActorChat.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using StackExchange.Redis;

namespace ActorChat.Grains.Hosting;

public static class SiloBuilderExtensions
{
    /// <summary>
    /// Registers ActorChat's grains, options and store (per <c>ActorChat:Storage</c>), and with
    /// <c>ActorChat:Streams:Publish</c> the stream provider and its subscriptions' storage under the names in
    /// <see cref="ChatProviders"/>.
    /// </summary>
    public static ISiloBuilder AddActorChatGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<RoomOptions>().Bind(configuration.GetSection(RoomOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RoomOptions>, RoomOptionsValidator>();
        services.AddOptions<ChatStreamOptions>().Bind(configuration.GetSection(ChatStreamOptions.Section));
        services.AddOptions<ChatLimits>().Bind(configuration.GetSection(ChatLimits.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChatLimits>, ChatLimitsValidator>());

        // Rooms, messages, memberships and invitations: one record each, in the store the configuration names.
        var storage = configuration.Read(StorageOptions.Section, new StorageOptionsValidator());
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section));
        services.AddMetrics();
        services.AddSingleton<StoreMetrics>();
        services.AddSingleton<ChatStoreHost>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ChatStoreHost>());
        services.AddSingleton<IChatStore>(sp => sp.GetRequiredService<ChatStoreHost>().Store);
        services.AddHostedService<RetentionService>();

        // Webhooks: events written to an outbox in the store's own commits, delivered by each silo's dispatcher.
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        services.AddSingleton<WebhookOutbox>();
        services.AddSingleton<IOutbox>(sp => sp.GetRequiredService<WebhookOutbox>());
        services.AddSingleton<WebhookMetrics>();
        services.AddHttpClient(WebhookDispatcher.HttpClientName);
        services.AddHostedService<WebhookDispatcher>();

        // Grain calls carry the caller's trace (a socket request, a REST call) so one send is one trace.
        silo.AddActivityPropagation();

        // Grains tell front ends directly; streams run only for front ends of earlier releases during an upgrade.
        var streams = configuration.Read(ChatStreamOptions.Section, new ChatStreamOptionsValidator());
        if (streams.Publish)
        {
            AddLegacyStreams(silo, configuration, storage, streams);
        }

        return silo;
    }

    private static void AddLegacyStreams(ISiloBuilder silo, IConfiguration configuration, StorageOptions storage, ChatStreamOptions streams)
    {
        // Stream subscriptions: a cluster with Redis membership keeps them in Redis, so that they outlive the silo
        // that held them; one machine (Development membership) keeps them in memory.
        if (configuration.GetSection(ChatClusterOptions.Section).Get<ChatClusterOptions>()?.Membership == MembershipProvider.Redis)
        {
            var redis = RedisConfiguration(storage.Redis ?? configuration["ActorChat:Redis"], StorageOptions.Section);
            silo.AddRedisGrainStorage(ChatProviders.PubSubStorage, options => options.Configure<IServiceProvider>((o, sp) =>
            {
                o.ConfigurationOptions = redis;

                // Orleans' own binary format: version tolerant, and it round-trips every [GenerateSerializer] type.
                o.GrainStorageSerializer = ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(sp);
            }));
        }
        else
        {
            silo.AddMemoryGrainStorage(ChatProviders.PubSubStorage);
        }

        silo.AddMemoryStreams(ChatProviders.Streams, stream =>
        {
            stream.ConfigurePartitioning(streams.QueueCount);
            stream.ConfigurePullingAgent(agent => agent.Configure(o => o.GetQueueMsgsTimerPeriod = streams.PollInterval));
        });
    }

    internal static ConfigurationOptions RedisConfiguration(string? connection, string section) =>
        string.IsNullOrWhiteSpace(connection)
            ? throw new OptionsValidationException(section, typeof(string), [$"{section} uses Redis but neither it nor ActorChat:Redis names a Redis server."])
            : ConfigurationOptions.Parse(connection);
}
