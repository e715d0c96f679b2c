using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace ActorChat.Storage.Sql;

/// <summary>
/// Brings a database to the schema this release uses, in one transaction: a database written by any earlier
/// release opens with nothing lost, and one that fails to migrate is left as it was.
/// </summary>
internal static partial class Migrator
{
    public static int Version(SqlDialect dialect) => dialect.Migrations.Count;

    /// <summary>
    /// Applies the migrations the database lacks. <paramref name="importLegacy"/> runs after the first one, in the
    /// same transaction, to carry over what a pre-schema release left (the SQLite blob-per-grain table).
    /// </summary>
    public static async Task MigrateAsync(DbConnection connection, SqlDialect dialect, ILogger logger,
        Func<DbConnection, DbTransaction, Task>? importLegacy = null)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        if (dialect.MigrationLock is { } takeLock)
        {
            await Db.ScalarAsync(connection, transaction, takeLock);
        }

        await Db.ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS chat_schema (version INTEGER NOT NULL)");
        var current = await Db.ScalarAsync(connection, transaction, "SELECT MAX(version) FROM chat_schema");
        var version = current is null ? 0 : Convert.ToInt32(current);
        if (version > dialect.Migrations.Count)
        {
            throw new InvalidOperationException(
                $"The database has schema version {version}, newer than this release knows ({dialect.Migrations.Count}): run the newer release.");
        }

        for (var next = version; next < dialect.Migrations.Count; next++)
        {
            await Db.ExecuteAsync(connection, transaction, dialect.Migrations[next]);
            if (next == 0 && importLegacy is not null)
            {
                await importLegacy(connection, transaction);
            }

            LogMigrated(logger, next + 1);
        }

        await Db.ExecuteAsync(connection, transaction, "DELETE FROM chat_schema");
        await Db.ExecuteAsync(connection, transaction, "INSERT INTO chat_schema (version) VALUES (@version)", ("@version", dialect.Migrations.Count));
        await transaction.CommitAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Store schema migrated to version {Version}")]
    private static partial void LogMigrated(ILogger logger, int version);
}
