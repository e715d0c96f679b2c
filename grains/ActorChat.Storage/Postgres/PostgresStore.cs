using System.Data.Common;
using ActorChat.Storage.Sql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ActorChat.Storage.Postgres;

/// <summary>Opens the store in a PostgreSQL database: a pool for reads, and a few writers each committing batches of writes.</summary>
internal static class PostgresStore
{
    public static async Task<(SqlChatStore Store, NpgsqlDataSource Source)> OpenAsync(string connectionString, int writers, int maxBatch, StoreMetrics metrics, IOutbox outbox, ILogger logger)
    {
        var source = NpgsqlDataSource.Create(WithStoreDefaults(connectionString));
        try
        {
            await using (var connection = await source.OpenConnectionAsync())
            {
                await Migrator.MigrateAsync(connection, PostgresDialect.Instance, logger);
            }

            async Task<DbConnection> Open(CancellationToken cancellationToken) => await source.OpenConnectionAsync(cancellationToken);
            var writes = new WriteQueue(Open, Math.Min(writers, PostgresDialect.Instance.MaxWriters), maxBatch, logger);
            metrics.ObserveCommits(() => writes.Commits);
            async ValueTask<ReadConnection> OpenRead() => new(await source.OpenConnectionAsync(), null);
            return (new SqlChatStore(PostgresDialect.Instance, OpenRead, writes, metrics, outbox), source);
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Statements the store runs again and again are prepared on each pooled connection once, instead of parsed and
    /// planned on every call, unless the connection string says otherwise (<c>Max Auto Prepare=0</c> for a pooler in
    /// transaction mode, which cannot keep prepared statements). A connection given back to the pool is not reset
    /// (<c>No Reset On Close</c>, unless the string sets it): the store changes no session state, and the reset
    /// Npgsql sends otherwise (RESET ALL and the rest, parsed and run by the server at every next use) cost the
    /// database more than many of the reads it preceded.
    /// </summary>
    internal static string WithStoreDefaults(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", string.Empty, StringComparison.Ordinal))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!given.Contains("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = AutoPrepared;
        }

        if (!given.Contains("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    // More than the store has statements, so none is evicted by another.
    private const int AutoPrepared = 128;
}
