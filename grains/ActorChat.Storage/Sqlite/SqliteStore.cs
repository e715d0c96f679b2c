using System.Data.Common;
using ActorChat.Storage.Legacy;
using ActorChat.Storage.Sql;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ActorChat.Storage.Sqlite;

/// <summary>Opens the store in one SQLite file: write-ahead logging, and a full fsync on every commit (durable before any ok).</summary>
internal static class SqliteStore
{
    // Idle read connections kept open. Reads block a thread each (SQLite has no asynchronous I/O), so about as many
    // run at once as the thread pool has threads; a read beyond these opens a connection and closes it after.
    private const int MaxIdleReaders = 16;

    public static async Task<SqlChatStore> OpenAsync(string path, bool durable, int maxBatch, LegacyImport? legacy, StoreMetrics metrics, IOutbox outbox, ILogger logger)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        // FULL: every commit is on disk before its writers hear of it. Without durability (tests), no fsync at all.
        var synchronous = durable ? "FULL" : "OFF";
        var readers = new SqliteReaders(() => Open(connectionString, "PRAGMA busy_timeout=10000;"), MaxIdleReaders);
        Task<DbConnection> OpenWrite(CancellationToken _)
        {
            var connection = Open(connectionString, $"PRAGMA busy_timeout=10000; PRAGMA synchronous={synchronous};");
            KeptStatements.Keep(connection);
            return Task.FromResult<DbConnection>(connection);
        }

        await using (var connection = Open(connectionString, "PRAGMA journal_mode=WAL;"))
        {
            await Migrator.MigrateAsync(connection, SqliteDialect.Instance, logger, legacy is null ? null : legacy.ImportAsync);
        }

        var writes = new WriteQueue(OpenWrite, writers: 1, maxBatch, logger);
        metrics.ObserveCommits(() => writes.Commits);
        return new SqlChatStore(SqliteDialect.Instance, () => ValueTask.FromResult(readers.Rent()), writes, metrics, outbox, readers);
    }

    private static SqliteConnection Open(string connectionString, string pragmas)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = pragmas;
        command.ExecuteNonQuery();
        return connection;
    }
}
