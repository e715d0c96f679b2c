using System.Data.Common;

namespace ActorChat.Storage.Sql;

/// <summary>Small helpers over ADO.NET commands, shared by both databases.</summary>
internal static class Db
{
    public static Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters) =>
        RunAsync(connection, transaction, sql, parameters, 0, static (command, _) => command.ExecuteNonQueryAsync());

    public static Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters) =>
        RunAsync(connection, transaction, sql, parameters, 0, static async (command, _) =>
        {
            var value = await command.ExecuteScalarAsync();
            return value is DBNull ? null : value;
        });

    public static Task<List<T>> ListAsync<T>(DbConnection connection, DbTransaction? transaction, string sql, Func<DbDataReader, T> read, params (string Name, object? Value)[] parameters) =>
        RunAsync(connection, transaction, sql, parameters, read, static async (command, read) =>
        {
            var list = new List<T>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                list.Add(read(reader));
            }

            return list;
        });

    public static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    public static long Ticks(DateTimeOffset time) => time.UtcTicks;

    // One command per run, taken from and given back to the connection's kept statements; one that failed is not kept.
    private static async Task<TResult> RunAsync<TState, TResult>(DbConnection connection, DbTransaction? transaction, string sql,
        (string Name, object? Value)[] parameters, TState state, Func<DbCommand, TState, Task<TResult>> run)
    {
        var command = KeptStatements.Rent(connection, transaction, sql, parameters);
        var ran = false;
        try
        {
            var result = await run(command, state);
            ran = true;
            return result;
        }
        finally
        {
            await KeptStatements.ReturnAsync(connection, sql, command, ran);
        }
    }
}
