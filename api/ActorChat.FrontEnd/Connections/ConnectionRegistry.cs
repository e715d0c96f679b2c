using System.Collections.Concurrent;

namespace ActorChat.FrontEnd.Connections;

/// <summary>The open connections of this node, so shutdown can close them and operators can count them.</summary>
internal sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, ChatConnection> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _perUser = new(StringComparer.Ordinal);
    private int _reserved;
    private TaskCompletionSource _empty = NewSignal(completed: true);

    public int Count => _connections.Count;

    /// <summary>Holds a place for one more socket of <paramref name="user"/>, within the per-user and per-node limits.</summary>
    public Admission TryAdmit(string user, int perUser, int perNode)
    {
        lock (_perUser)
        {
            if (_reserved >= perNode)
            {
                return Admission.NodeFull;
            }

            var current = _perUser.GetValueOrDefault(user);
            if (current >= perUser)
            {
                return Admission.UserFull;
            }

            _perUser[user] = current + 1;
            _reserved++;
            return Admission.Admitted;
        }
    }

    /// <summary>Gives back the place <see cref="TryAdmit"/> held.</summary>
    public void Release(string user)
    {
        lock (_perUser)
        {
            _reserved--;
            if (--_perUser[user] == 0)
            {
                _perUser.Remove(user);
            }
        }
    }

    /// <summary>The places <paramref name="user"/> holds on this node; for diagnostics and tests.</summary>
    public int PlacesOf(string user)
    {
        lock (_perUser)
        {
            return _perUser.GetValueOrDefault(user);
        }
    }

    /// <summary>An open connection by id; for diagnostics and tests.</summary>
    public ChatConnection? Find(string connectionId) => _connections.GetValueOrDefault(connectionId);

    public void Add(ChatConnection connection)
    {
        _connections[connection.Id] = connection;
        lock (_connections)
        {
            if (_empty.Task.IsCompleted)
            {
                _empty = NewSignal(completed: false);
            }
        }
    }

    public void Remove(ChatConnection connection)
    {
        _connections.TryRemove(connection.Id, out _);
        lock (_connections)
        {
            if (_connections.IsEmpty)
            {
                _empty.TrySetResult();
            }
        }
    }

    /// <summary>Asks every open connection to flush what it has queued and close with 1012.</summary>
    public void CloseAll()
    {
        foreach (var connection in _connections.Values)
        {
            connection.Close(CloseCodes.ServiceRestart, "server restarting");
        }
    }

    /// <summary>Completes when no connection is open, or after <paramref name="timeout"/>.</summary>
    public async Task WaitEmptyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task empty;
        lock (_connections)
        {
            empty = _connections.IsEmpty ? Task.CompletedTask : _empty.Task;
        }

        try
        {
            await empty.WaitAsync(timeout, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // Whatever has not closed by now is cut off when the server stops.
        }
    }

    private static TaskCompletionSource NewSignal(bool completed)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            signal.SetResult();
        }

        return signal;
    }
}
