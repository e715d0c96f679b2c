using Microsoft.Extensions.Logging;

namespace ActorChat.Cluster.Tests;

/// <summary>
/// Counts the TLS handshakes the silos refused, from their log, so a test waits for its own refusal rather than
/// for time to pass: a client that is refused does not fail, it keeps trying.
/// </summary>
public sealed class RefusedHandshakes : ILoggerProvider
{
    private const string Category = "Orleans.Connections.Security.TlsServerConnectionMiddleware";

    /// <summary>"Authentication failed"; a handshake that timed out (id 2) may be an earlier test's client going away.</summary>
    private const int AuthenticationFailed = 1;
    private readonly Lock _gate = new();
    private readonly List<(int After, TaskCompletionSource Signal)> _waiters = [];
    private int _count;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Completes once more than <paramref name="seen"/> handshakes have been refused.</summary>
    public Task AfterAsync(int seen)
    {
        lock (_gate)
        {
            if (_count > seen)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((seen, signal));
            return signal.Task;
        }
    }

    public ILogger CreateLogger(string categoryName) => categoryName == Category ? new Listener(this) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private void Refused()
    {
        lock (_gate)
        {
            _count++;
            foreach (var waiter in _waiters.Where(w => _count > w.After).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Signal.TrySetResult();
            }
        }
    }

    private sealed class Listener(RefusedHandshakes owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel) && eventId.Id == AuthenticationFailed)
            {
                owner.Refused();
            }
        }
    }
}
