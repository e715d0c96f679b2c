using ActorChat.Storage.Legacy;
using ActorChat.Storage.Postgres;
using ActorChat.Storage.Sql;
using ActorChat.Storage.Sqlite;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;

namespace ActorChat.Storage;

/// <summary>The configured store, opened and migrated; disposing it lets pending writes finish and closes it.</summary>
public sealed partial class OpenedStore : IAsyncDisposable
{
    private readonly SqlChatStore _store;
    private readonly IAsyncDisposable? _source;
    private readonly string? _deleteOnClose;

    private OpenedStore(SqlChatStore store, IAsyncDisposable? source, string? deleteOnClose)
    {
        _store = store;
        _source = source;
        _deleteOnClose = deleteOnClose;
    }

    public IChatStore Store => _store;

    /// <summary>The same store's webhook outbox.</summary>
    public IWebhookStore Webhooks => _store;

    /// <summary>The schema version this release writes.</summary>
    public static int SchemaVersion(StorageProvider provider) =>
        Migrator.Version(provider == StorageProvider.Postgres ? PostgresDialect.Instance : SqliteDialect.Instance);

    /// <summary>
    /// Opens the store <paramref name="options"/> name. <paramref name="serializer"/> reads what the blob-per-grain
    /// release left in a SQLite data directory, the first time this release opens it.
    /// </summary>
    public static async Task<OpenedStore> OpenAsync(StorageOptions options, Serializer serializer, TimeProvider time, StoreMetrics metrics, ILoggerFactory loggers, IOutbox? outbox = null)
    {
        outbox ??= NoOutbox.Instance;
        var logger = loggers.CreateLogger("ActorChat.Storage");
        switch (options.Provider)
        {
            case StorageProvider.Postgres:
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                {
                    throw new Microsoft.Extensions.Options.OptionsValidationException(StorageOptions.Section, typeof(StorageOptions),
                        ["ActorChat:Storage:ConnectionString is required with the Postgres provider."]);
                }

                var (postgres, source) = await PostgresStore.OpenAsync(options.ConnectionString, options.Writers, options.MaxBatch, metrics, outbox, logger);
                LogOpened(logger, "PostgreSQL", source.ConnectionString.Split(';').FirstOrDefault(p => p.StartsWith("Host", StringComparison.OrdinalIgnoreCase)) ?? "(default host)");
                return new OpenedStore(postgres, source, null);
            case StorageProvider.Memory:
                // A throwaway file, not an in-memory database: the same engine, concurrency and statements as the default.
                var scratch = Path.Combine(Path.GetTempPath(), $"actorchat-memory-{Guid.NewGuid():N}.db");
                var memory = await SqliteStore.OpenAsync(scratch, durable: false, options.MaxBatch, legacy: null, metrics, outbox, logger);
                return new OpenedStore(memory, null, scratch);
            default:
                var path = Path.Combine(options.DataDirectory, "actorchat.db");
                var legacy = new LegacyImport(serializer, time, logger);
                var sqlite = await SqliteStore.OpenAsync(path, durable: true, options.MaxBatch, legacy, metrics, outbox, logger);
                LogOpened(logger, "SQLite", Path.GetFullPath(path));
                return new OpenedStore(sqlite, null, null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        if (_source is not null)
        {
            await _source.DisposeAsync();
        }

        if (_deleteOnClose is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { _deleteOnClose, $"{_deleteOnClose}-wal", $"{_deleteOnClose}-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static void LogOpened(ILogger logger, string engine, string where) => Log.Opened(logger, engine, where);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Rooms and messages are stored in {Engine} at {Where}")]
        public static partial void Opened(ILogger logger, string engine, string where);
    }
}
