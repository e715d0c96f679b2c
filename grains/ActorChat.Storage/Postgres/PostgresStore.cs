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
        var source = NpgsqlDataSource.Create(connectionString);
        try
        {
            await using (var connection = await source.OpenConnectionAsync())
            {
                await Migrator.MigrateAsync(connection, PostgresDialect.Instance, logger);
            }

            async Task<DbConnection> Open(CancellationToken cancellationToken) => await source.OpenConnectionAsync(cancellationToken);
            var writes = new WriteQueue(Open, Math.Min(writers, PostgresDialect.Instance.MaxWriters), maxBatch, logger);
            metrics.ObserveCommits(() => writes.Commits);
            return (new SqlChatStore(PostgresDialect.Instance, Open, writes, metrics, outbox), source);
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
    }
}
