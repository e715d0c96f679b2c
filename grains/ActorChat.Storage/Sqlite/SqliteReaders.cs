using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using ActorChat.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace ActorChat.Storage.Sqlite;

/// <summary>
/// Open SQLite connections for reads, kept between reads with their compiled statements (see
/// <see cref="KeptStatements"/>): Microsoft.Data.Sqlite's own pool keeps the database handle but not the statements,
/// and each open ran the connection's pragma again.
/// </summary>
internal sealed class SqliteReaders : IDisposable
{
    private readonly ConcurrentStack<SqliteConnection> _idle = new();
    private readonly Func<SqliteConnection> _open;
    private readonly int _maxIdle;
    private readonly Action<DbConnection> _giveBack;
    private volatile bool _disposed;

    public SqliteReaders(Func<SqliteConnection> open, int maxIdle)
    {
        _open = open;
        _maxIdle = maxIdle;
        _giveBack = GiveBack;
    }

    public ReadConnection Rent()
    {
        if (!_idle.TryPop(out var connection))
        {
            connection = _open();
            KeptStatements.Keep(connection);
        }

        return new ReadConnection(connection, _giveBack);
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryPop(out var connection))
        {
            Close(connection);
        }
    }

    private void GiveBack(DbConnection connection)
    {
        var sqlite = (SqliteConnection)connection;
        if (_disposed || sqlite.State != ConnectionState.Open || _idle.Count >= _maxIdle)
        {
            Close(sqlite);
            return;
        }

        _idle.Push(sqlite);

        // A reader that gave back after Dispose emptied the stack must not leave its connection open.
        if (_disposed && _idle.TryPop(out var late))
        {
            Close(late);
        }
    }

    private static void Close(SqliteConnection connection)
    {
        KeptStatements.Forget(connection);
        connection.Dispose();
    }
}
