using System.Data.Common;

namespace ActorChat.Storage.Sql;

/// <summary>A connection lent for one read: disposing it gives it back to the pool it came from, or closes it.</summary>
internal readonly struct ReadConnection(DbConnection connection, Action<DbConnection>? giveBack) : IAsyncDisposable
{
    public DbConnection Connection => connection;

    public ValueTask DisposeAsync()
    {
        if (giveBack is null)
        {
            return connection.DisposeAsync();
        }

        giveBack(connection);
        return ValueTask.CompletedTask;
    }
}
