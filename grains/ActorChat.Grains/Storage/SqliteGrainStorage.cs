using System.Globalization;
using System.Threading.Channels;
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
public sealed partial class SqliteGrainStorage : IGrainStorage, IAsyncDisposable
{
    private const int MaxBatch = 512;

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
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

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
        _writer = Task.Run(WriteLoopAsync);
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

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // Serialized here, on the caller's turn: a reentrant grain may change its state while the write runs.
        var payload = _serializer.SerializeToArray(grainState.State);
        var expected = grainState.ETag is null ? (long?)null : long.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        var write = new PendingWrite(stateName, grainId.ToString(), expected, payload);
        await _writes.Writer.WriteAsync(write);
        if (!await write.Done.Task)
        {
            throw new InconsistentStateException(
                $"State '{stateName}' of {grainId} was changed by another writer since it was read.",
                storedEtag: "unknown",
                currentEtag: grainState.ETag ?? "none");
        }

        grainState.ETag = ((expected ?? 0) + 1).ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writer;
    }

    /// <summary>
    /// The one writer: it takes every write waiting, of any grain, and commits them in one transaction, so many
    /// grains share one fsync (group commit). A stale ETag fails only its own write.
    /// </summary>
    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (await _writes.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            try
            {
                using var connection = Open();
                using var transaction = connection.BeginTransaction();
                var applied = batch.Select(write => Apply(connection, transaction, write)).ToList();
                transaction.Commit();
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(applied[i]);
                }
            }
            catch (Exception ex)
            {
                foreach (var write in batch)
                {
                    write.Done.TrySetException(ex);
                }
            }
        }
    }

    private static bool Apply(SqliteConnection connection, SqliteTransaction transaction, PendingWrite write)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.Parameters.AddWithValue("$name", write.StateName);
        command.Parameters.AddWithValue("$id", write.GrainId);
        command.Parameters.AddWithValue("$payload", write.Payload);
        if (write.ExpectedETag is not { } expected)
        {
            command.CommandText = "INSERT INTO grain_state (state_name, grain_id, etag, payload) VALUES ($name, $id, 1, $payload) ON CONFLICT DO NOTHING;";
        }
        else
        {
            command.CommandText = "UPDATE grain_state SET etag = $next, payload = $payload WHERE state_name = $name AND grain_id = $id AND etag = $etag;";
            command.Parameters.AddWithValue("$etag", expected);
            command.Parameters.AddWithValue("$next", expected + 1);
        }

        return command.ExecuteNonQuery() == 1;
    }

    private sealed record PendingWrite(string StateName, string GrainId, long? ExpectedETag, byte[] Payload)
    {
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
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
