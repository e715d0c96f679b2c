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
        var source = NpgsqlDataSource.Create(WithAutoPrepare(connectionString));
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
    /// transaction mode, which cannot keep prepared statements).
    /// </summary>
    internal static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(key => key.Replace(" ", string.Empty, StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase));
        if (!given)
        {
            builder.MaxAutoPrepare = AutoPrepared;
        }

        return builder.ConnectionString;
    }

    // More than the store has statements, so none is evicted by another.
    private const int AutoPrepared = 128;
}
