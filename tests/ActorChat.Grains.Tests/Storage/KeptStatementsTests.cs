using ActorChat.Storage.Sql;
using ActorChat.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace ActorChat.Grains.Tests.Storage;

/// <summary>Statements the SQLite store keeps compiled with its connections, on a real database file.</summary>
public sealed class KeptStatementsTests : IDisposable
{
    private const string Select = "SELECT v FROM t WHERE k >= @k ORDER BY k";

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"kept-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task A_kept_statement_is_reused_sees_later_commits_and_holds_no_snapshot_while_its_connection_waits_in_the_pool()
    {
        await using var writer = Open("PRAGMA journal_mode=WAL;");
        await Db.ExecuteAsync(writer, null, "CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
        using var readers = new SqliteReaders(() => Open(null), maxIdle: 2);

        Assert.Empty(await ReadAsync(readers, 0));
        await Db.ExecuteAsync(writer, null, "INSERT INTO t VALUES (1, 'one'), (2, 'two')");

        // The same compiled statement again: it sees the commit made since its last run, and binds the new value.
        Assert.Equal(["one", "two"], await ReadAsync(readers, 0));
        Assert.Equal(["two"], await ReadAsync(readers, 2));
        await using (var read = readers.Rent())
        {
            Assert.Equal(1, KeptStatements.Count(read.Connection));
        }

        // A statement left holding its read transaction would keep a full checkpoint from finishing (busy = 1).
        var checkpoint = await Db.ListAsync(writer, null, "PRAGMA wal_checkpoint(TRUNCATE)", r => r.GetInt32(0));
        Assert.Equal(0, checkpoint[0]);

        // A statement that fails is not kept, and the connection goes on serving the kept one.
        await using (var read = readers.Rent())
        {
            await Assert.ThrowsAsync<SqliteException>(() => Db.ExecuteAsync(read.Connection, null, "INSERT INTO t VALUES (1, 'again')"));
            Assert.Equal(1, KeptStatements.Count(read.Connection));
        }

        Assert.Equal(["one", "two"], await ReadAsync(readers, 1));

        // A statement that bound a large value (a long message's text) is not kept: SQLite would hold its copy of it.
        await using (var read = readers.Rent())
        {
            await Db.ExecuteAsync(read.Connection, null, "INSERT INTO t VALUES (@k, @v)", ("@k", 3L), ("@v", new string('x', KeptStatements.MaxKeptValueLength + 1)));
            Assert.Equal(1, KeptStatements.Count(read.Connection));
            await Db.ExecuteAsync(read.Connection, null, "INSERT INTO t VALUES (@k, @v)", ("@k", 4L), ("@v", "short"));
            Assert.Equal(2, KeptStatements.Count(read.Connection));
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private static async Task<List<string>> ReadAsync(SqliteReaders readers, long from)
    {
        await using var read = readers.Rent();
        return await Db.ListAsync(read.Connection, null, Select, r => r.GetString(0), ("@k", from));
    }

    private SqliteConnection Open(string? pragma)
    {
        var connection = new SqliteConnection($"Data Source={_path}");
        connection.Open();
        if (pragma is not null)
        {
            using var command = connection.CreateCommand();
            command.CommandText = pragma;
            command.ExecuteNonQuery();
        }

        return connection;
    }
}
