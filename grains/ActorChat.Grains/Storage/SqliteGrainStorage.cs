using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Orleans.Storage;

namespace ActorChat.Grains.Storage;

/// <summary>
/// Grain storage in one SQLite file: write-ahead logging, a full fsync on every commit (an acknowledged write
/// survives a crash or power loss), and an integer ETag per record so that a stale writer gets an
/// <see cref="InconsistentStateException"/> instead of overwriting a newer state.
/// </summary>
public sealed partial class SqliteGrainStorage : IGrainStorage
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS grain_state (
            state_name TEXT NOT NULL,
            grain_id   TEXT NOT NULL,
            etag       INTEGER NOT NULL,
            payload    BLOB NOT NULL,
            PRIMARY KEY (state_name, grain_id)
        ) WITHOUT ROWID;
        """;

    private readonly string _connectionString;
    private readonly Serializer _serializer;
    private readonly ILogger _logger;

    public SqliteGrainStorage(string path, Serializer serializer, ILogger<SqliteGrainStorage> logger)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _serializer = serializer;
        _logger = logger;

        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, Schema);
        var fullPath = Path.GetFullPath(path);
        LogOpened(_logger, fullPath);
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.Run(() =>
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag, payload FROM grain_state WHERE state_name = $name AND grain_id = $id;";
        command.Parameters.AddWithValue("$name", stateName);
        command.Parameters.AddWithValue("$id", grainId.ToString());
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        grainState.ETag = reader.GetInt64(0).ToString(CultureInfo.InvariantCulture);
        grainState.State = _serializer.Deserialize<T>((byte[])reader.GetValue(1));
        grainState.RecordExists = true;
    });

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // Serialized here, on the caller's turn: a reentrant grain may change its state while the write runs.
        var payload = _serializer.SerializeToArray(grainState.State);
        return Task.Run(() => Write(stateName, grainId, grainState, payload));
    }

    private void Write<T>(string stateName, GrainId grainId, IGrainState<T> grainState, byte[] payload)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.Parameters.AddWithValue("$name", stateName);
        command.Parameters.AddWithValue("$id", grainId.ToString());
        command.Parameters.AddWithValue("$payload", payload);
        long next;
        if (grainState.ETag is null)
        {
            command.CommandText = "INSERT INTO grain_state (state_name, grain_id, etag, payload) VALUES ($name, $id, 1, $payload) ON CONFLICT DO NOTHING;";
            next = 1;
        }
        else
        {
            var expected = long.Parse(grainState.ETag, CultureInfo.InvariantCulture);
            command.CommandText = "UPDATE grain_state SET etag = $next, payload = $payload WHERE state_name = $name AND grain_id = $id AND etag = $etag;";
            command.Parameters.AddWithValue("$etag", expected);
            command.Parameters.AddWithValue("$next", expected + 1);
            next = expected + 1;
        }

        if (command.ExecuteNonQuery() != 1)
        {
            throw new InconsistentStateException(
                $"State '{stateName}' of {grainId} was changed by another writer since it was read.",
                storedEtag: "unknown",
                currentEtag: grainState.ETag ?? "none");
        }

        grainState.ETag = next.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.Run(() =>
    {
        if (grainState.ETag is null)
        {
            grainState.RecordExists = false;
            return;
        }

        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM grain_state WHERE state_name = $name AND grain_id = $id AND etag = $etag;";
        command.Parameters.AddWithValue("$name", stateName);
        command.Parameters.AddWithValue("$id", grainId.ToString());
        command.Parameters.AddWithValue("$etag", long.Parse(grainState.ETag, CultureInfo.InvariantCulture));
        if (command.ExecuteNonQuery() != 1)
        {
            throw new InconsistentStateException($"State '{stateName}' of {grainId} was changed by another writer since it was read.", "unknown", grainState.ETag);
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
    });

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();

        // FULL makes every commit durable on disk before the grain acknowledges anything.
        Execute(connection, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Grain state is stored in {Path}")]
    private static partial void LogOpened(ILogger logger, string path);
}
