using ActorChat.Contracts;
using ActorChat.Grains.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace ActorChat.Grains.Hosting;

public static class SiloBuilderExtensions
{
    /// <summary>
    /// Registers ActorChat's grains, options, stream provider and grain storage (per <c>ActorChat:Storage</c>)
    /// under the names in <see cref="ChatProviders"/>.
    /// </summary>
    public static ISiloBuilder AddActorChatGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<RoomOptions>().Bind(configuration.GetSection(RoomOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RoomOptions>, RoomOptionsValidator>();
        services.AddOptions<ChatLimits>().Bind(configuration.GetSection(ChatLimits.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChatLimits>, ChatLimitsValidator>());

        var storage = configuration.Read(StorageOptions.Section, new StorageOptionsValidator());
        switch (storage.Provider)
        {
            case StorageProvider.Memory:
                silo.AddMemoryGrainStorage(ChatProviders.Storage);
                silo.AddMemoryGrainStorage(ChatProviders.PubSubStorage);
                break;
            case StorageProvider.Sqlite:
                var path = Path.Combine(storage.DataDirectory, "actorchat.db");
                services.AddGrainStorage(ChatProviders.Storage, (sp, _) =>
                    new SqliteGrainStorage(path, sp.GetRequiredService<Serializer>(), sp.GetRequiredService<ILogger<SqliteGrainStorage>>()));

                // One process owns a SQLite file, so stream subscriptions need not outlive it.
                silo.AddMemoryGrainStorage(ChatProviders.PubSubStorage);
                break;
            case StorageProvider.Redis:
                var redis = RedisConfiguration(storage.Redis ?? configuration["ActorChat:Redis"], StorageOptions.Section);
                AddRedisStorage(silo, ChatProviders.Storage, redis);
                AddRedisStorage(silo, ChatProviders.PubSubStorage, redis);
                break;
        }

        // Grain calls carry the caller's trace (a socket request, a REST call) so one send is one trace.
        silo.AddActivityPropagation();

        var streams = configuration.Read(ChatStreamOptions.Section, new ChatStreamOptionsValidator());
        silo.AddMemoryStreams(ChatProviders.Streams, stream =>
        {
            stream.ConfigurePartitioning(streams.QueueCount);
            stream.ConfigurePullingAgent(agent => agent.Configure(o => o.GetQueueMsgsTimerPeriod = streams.PollInterval));
        });
        return silo;
    }

    internal static ConfigurationOptions RedisConfiguration(string? connection, string section) =>
        string.IsNullOrWhiteSpace(connection)
            ? throw new OptionsValidationException(section, typeof(string), [$"{section} uses Redis but neither it nor ActorChat:Redis names a Redis server."])
            : ConfigurationOptions.Parse(connection);

    private static void AddRedisStorage(ISiloBuilder silo, string name, ConfigurationOptions redis) =>
        silo.AddRedisGrainStorage(name, options => options.Configure<IServiceProvider>((o, sp) =>
        {
            o.ConfigurationOptions = redis;

            // Orleans' own binary format: version tolerant, and it round-trips every [GenerateSerializer] type.
            o.GrainStorageSerializer = ActivatorUtilities.CreateInstance<OrleansGrainStorageSerializer>(sp);
        }));
}
