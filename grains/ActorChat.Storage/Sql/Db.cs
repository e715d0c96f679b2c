using System.Data.Common;

namespace ActorChat.Storage.Sql;

/// <summary>Small helpers over ADO.NET commands, shared by both databases.</summary>
internal static class Db
{
    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = KeptStatements.Rent(connection, transaction, sql, parameters);
        var ran = false;
        try
        {
            var rows = await command.ExecuteNonQueryAsync();
            ran = true;
            return rows;
        }
        finally
        {
            await KeptStatements.ReturnAsync(connection, sql, command, ran);
        }
    }

    public static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = KeptStatements.Rent(connection, transaction, sql, parameters);
        var ran = false;
        try
        {
            var value = await command.ExecuteScalarAsync();
            ran = true;
            return value is DBNull ? null : value;
        }
        finally
        {
            await KeptStatements.ReturnAsync(connection, sql, command, ran);
        }
    }

    public static async Task<List<T>> ListAsync<T>(DbConnection connection, DbTransaction? transaction, string sql, Func<DbDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        var command = KeptStatements.Rent(connection, transaction, sql, parameters);
        var ran = false;
        try
        {
            var list = new List<T>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    list.Add(read(reader));
                }
            }

            ran = true;
            return list;
        }
        finally
        {
            await KeptStatements.ReturnAsync(connection, sql, command, ran);
        }
    }

    public static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    public static long Ticks(DateTimeOffset time) => time.UtcTicks;
}
