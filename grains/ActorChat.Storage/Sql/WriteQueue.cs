using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace ActorChat.Storage.Sql;

/// <summary>
/// Group commit: every write waiting, from any grain, goes into one transaction and one commit (one fsync),
/// instead of one each. When a write in a batch fails, the batch is rolled back and each of its writes is run
/// alone, so one bad write fails only its own caller.
/// </summary>
internal sealed partial class WriteQueue : IAsyncDisposable
{
    private readonly Channel<IPendingWrite> _writes = Channel.CreateUnbounded<IPendingWrite>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Func<CancellationToken, Task<DbConnection>> _open;
    private readonly int _maxBatch;
    private readonly ILogger _logger;
    private readonly Task[] _writers;

    public WriteQueue(Func<CancellationToken, Task<DbConnection>> open, int writers, int maxBatch, ILogger logger)
    {
        _open = open;
        _maxBatch = maxBatch;
        _logger = logger;
        _writers = [.. Enumerable.Range(0, writers).Select(_ => Task.Factory.StartNew(WriteLoopAsync, TaskCreationOptions.LongRunning).Unwrap())];
    }

    /// <summary>Bytes of statements... not tracked; commits so far, for the store's metrics.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    private long _commits;

    /// <summary>Runs <paramref name="write"/> in the next transaction and completes once it is committed.</summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> write)
    {
        var pending = new PendingWrite<T>(write);
        if (!_writes.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(WriteQueue), "The store is closed.");
        }

        return pending.Done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<IPendingWrite>(_maxBatch);
        DbConnection? connection = null;
        try
        {
            while (await _writes.Reader.WaitToReadAsync())
            {
                batch.Clear();
                while (batch.Count < _maxBatch && _writes.Reader.TryRead(out var write))
                {
                    batch.Add(write);
                }

                if (batch.Count == 0)
                {
                    continue;
                }

                try
                {
                    connection ??= await _open(CancellationToken.None);
                    if (!await TryCommitAsync(connection, batch))
                    {
                        foreach (var write in batch)
                        {
                            await TryCommitAsync(connection, [write]);
                        }
                    }
                }
                catch (Exception ex)
                {
                    // The connection itself failed (the server went away, say): fail what is pending, reconnect next time.
                    LogConnectionFailed(_logger, ex);
                    foreach (var write in batch)
                    {
                        write.Fail(ex);
                    }

                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }
                }
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Runs the writes in one transaction. False when one of several failed (nothing committed, nobody answered);
    /// a single write's failure is its own answer.
    /// </summary>
    private async Task<bool> TryCommitAsync(DbConnection connection, List<IPendingWrite> writes)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var write in writes)
        {
            try
            {
                await write.RunAsync(connection, transaction);
            }
            catch (Exception ex) when (writes.Count > 1)
            {
                LogBatchSplit(_logger, ex, writes.Count);
                await transaction.RollbackAsync();
                return false;
            }
            catch (Exception ex)
            {
                await transaction.RollbackAsync();
                write.Fail(ex);
                return true;
            }
        }

        await transaction.CommitAsync();
        Interlocked.Increment(ref _commits);
        foreach (var write in writes)
        {
            write.Complete();
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A write in a batch of {Writes} failed; running each alone")]
    private static partial void LogBatchSplit(ILogger logger, Exception exception, int writes);

    [LoggerMessage(Level = LogLevel.Error, Message = "The store's connection failed; pending writes fail and the next batch reconnects")]
    private static partial void LogConnectionFailed(ILogger logger, Exception exception);

    private interface IPendingWrite
    {
        Task RunAsync(DbConnection connection, DbTransaction transaction);

        void Complete();

        void Fail(Exception exception);
    }

    private sealed class PendingWrite<T>(Func<DbConnection, DbTransaction, Task<T>> write) : IPendingWrite
    {
        private T? _result;

        public TaskCompletionSource<T> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task RunAsync(DbConnection connection, DbTransaction transaction) => _result = await write(connection, transaction);

        public void Complete() => Done.TrySetResult(_result!);

        public void Fail(Exception exception) => Done.TrySetException(exception);
    }
}
