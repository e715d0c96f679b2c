using System.Data.Common;
using System.Runtime.CompilerServices;

namespace ActorChat.Storage.Sql;

/// <summary>
/// Commands kept with a long-lived connection, one per statement text, so that a statement run again is not parsed
/// and planned again.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite keeps a command's compiled statements until the command is disposed, and has no cache
/// across commands: the store's SQLite connections (the writer's, and the readers its own pool keeps open) keep
/// their commands here. Connections no one registered (PostgreSQL's: Npgsql prepares on its own) get a new command
/// each time. A connection is used by one caller at a time; a text already rented out (a statement run inside
/// another's read) gets a command of its own that is disposed after use.
/// </remarks>
internal static class KeptStatements
{
    /// <summary>Distinct texts kept per connection; the store has fewer, bar batch inserts of every size up to the batch cap.</summary>
    public const int MaxPerConnection = 256;

    private static readonly ConditionalWeakTable<DbConnection, Dictionary<string, DbCommand>> Kept = [];

    /// <summary>From now on, commands run on <paramref name="connection"/> stay compiled with it.</summary>
    public static void Keep(DbConnection connection) => Kept.AddOrUpdate(connection, new Dictionary<string, DbCommand>(StringComparer.Ordinal));

    public static DbCommand Rent(DbConnection connection, DbTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
    {
        if (Kept.TryGetValue(connection, out var kept) && kept.Remove(sql, out var command))
        {
            command.Transaction = transaction;
            var bound = command.Parameters;
            if (bound.Count == parameters.Length && Same(bound, parameters))
            {
                for (var i = 0; i < parameters.Length; i++)
                {
                    bound[i].Value = parameters[i].Value ?? DBNull.Value;
                }

                return command;
            }

            bound.Clear();
            Bind(command, parameters);
            return command;
        }

        command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        Bind(command, parameters);
        return command;
    }

    /// <summary>Keeps <paramref name="command"/> for its text's next run, unless it failed (<paramref name="ran"/> false) or there is no room.</summary>
    public static ValueTask ReturnAsync(DbConnection connection, string sql, DbCommand command, bool ran)
    {
        if (ran && Small(command.Parameters) && Kept.TryGetValue(connection, out var kept) && kept.Count < MaxPerConnection && kept.TryAdd(sql, command))
        {
            // The caller's values are let go on the managed side; SQLite keeps its copy of the last bound ones until
            // the next run, which is why commands that bound large values (message text) are not kept.
            command.Transaction = null;
            foreach (DbParameter parameter in command.Parameters)
            {
                parameter.Value = DBNull.Value;
            }

            return ValueTask.CompletedTask;
        }

        return command.DisposeAsync();
    }

    /// <summary>How many commands <paramref name="connection"/> keeps (tests).</summary>
    public static int Count(DbConnection connection) => Kept.TryGetValue(connection, out var kept) ? kept.Count : 0;

    /// <summary>Disposes the commands kept with <paramref name="connection"/>, before it closes.</summary>
    public static void Forget(DbConnection connection)
    {
        if (Kept.TryGetValue(connection, out var kept))
        {
            Kept.Remove(connection);
            foreach (var command in kept.Values)
            {
                command.Dispose();
            }
        }
    }

    /// <summary>Values a kept command may leave bound in SQLite until its next run: at most this many characters or bytes in all.</summary>
    public const int MaxKeptValueLength = 1024;

    private static bool Small(DbParameterCollection parameters)
    {
        var length = 0;
        foreach (DbParameter parameter in parameters)
        {
            length += parameter.Value switch
            {
                string text => text.Length,
                byte[] bytes => bytes.Length,
                _ => 0,
            };
        }

        return length <= MaxKeptValueLength;
    }

    private static bool Same(DbParameterCollection bound, (string Name, object? Value)[] parameters)
    {
        for (var i = 0; i < parameters.Length; i++)
        {
            if (!string.Equals(bound[i].ParameterName, parameters[i].Name, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static void Bind(DbCommand command, (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
    }
}
