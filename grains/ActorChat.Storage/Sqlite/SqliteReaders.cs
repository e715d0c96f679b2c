using System.Data;
using System.Data.Common;
using ActorChat.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace ActorChat.Storage.Sqlite;

/// <summary>
/// Open SQLite connections for reads (as many as read at once; up to <c>maxIdle</c> of them kept between reads) with
/// their compiled statements (see <see cref="KeptStatements"/>): Microsoft.Data.Sqlite's own pool keeps the database
/// handle but not the statements, and each open ran the connection's pragma again.
/// </summary>
internal sealed class SqliteReaders : IDisposable
{
    private readonly Stack<SqliteConnection> _idle = new();
    private readonly Func<SqliteConnection> _open;
    private readonly int _maxIdle;
    private readonly Action<DbConnection> _giveBack;
    private readonly Lock _gate = new();
    private bool _disposed;

    public SqliteReaders(Func<SqliteConnection> open, int maxIdle)
    {
        _open = open;
        _maxIdle = maxIdle;
        _giveBack = GiveBack;
    }

    public ReadConnection Rent()
    {
        SqliteConnection? connection;
        lock (_gate)
        {
            _idle.TryPop(out connection);
        }

        if (connection is null)
        {
            connection = _open();
            KeptStatements.Keep(connection);
        }

        return new ReadConnection(connection, _giveBack);
    }

    public void Dispose()
    {
        // Under the lock that renting and giving back take: a connection is either on the stack before this empties it,
        // or given back after and closed.
        lock (_gate)
        {
            _disposed = true;
            while (_idle.TryPop(out var connection))
            {
                Close(connection);
            }
        }
    }

    private void GiveBack(DbConnection connection)
    {
        var sqlite = (SqliteConnection)connection;
        lock (_gate)
        {
            if (!_disposed && sqlite.State == ConnectionState.Open && _idle.Count < _maxIdle)
            {
                _idle.Push(sqlite);
                return;
            }
        }

        Close(sqlite);
    }

    private static void Close(SqliteConnection connection)
    {
        KeptStatements.Forget(connection);
        connection.Dispose();
    }
}
