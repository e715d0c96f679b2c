namespace ActorChat.Client.Tests;

/// <summary>
/// Every event of a client from its creation, kept in order, with waits that wake on each new event (never a
/// sleep). <see cref="Completion"/> ends as the client's subscriptions do: normally when it is closed, with the
/// reason when it stopped on its own.
/// </summary>
internal sealed class EventLog : IDisposable
{
    private readonly ChatSubscription _subscription;
    private readonly List<ChatEvent> _events = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _ended;

    public EventLog(ChatClient client)
    {
        _subscription = client.Subscribe();
        Completion = ReadAsync();
    }

    public Task Completion { get; }

    public List<T> All<T>()
        where T : ChatEvent
    {
        lock (_lock)
        {
            return [.. _events.OfType<T>()];
        }
    }

    /// <summary>The messages of <paramref name="room"/> received so far, in order.</summary>
    public List<ChatMessage> Messages(string room) => [.. All<ChatMessage>().Where(m => m.Room == room)];

    public List<string?> Texts(string room) => [.. Messages(room).Select(m => m.Text)];

    /// <summary>The first event of type <typeparamref name="T"/> that matches, waiting for it if it has not come yet.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool>? match = null)
        where T : ChatEvent
    {
        T? found = null;
        await WaitUntilAsync(() => (found = All<T>().FirstOrDefault(e => match is null || match(e))) is not null, typeof(T).Name);
        return found!;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, checking it again after each event.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what = "the condition")
    {
        using var deadline = new CancellationTokenSource(Clients.Deadline);
        while (true)
        {
            Task changed;
            bool ended;
            lock (_lock)
            {
                (changed, ended) = (_changed.Task, _ended);
            }

            if (condition())
            {
                return;
            }

            if (ended)
            {
                throw new InvalidOperationException($"The client's events ended before {what}; events: {string.Join(", ", Snapshot())}");
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Waited {Clients.Deadline.TotalSeconds} s for {what}; events: {string.Join(", ", Snapshot())}");
            }
        }
    }

    public void Dispose() => _subscription.Dispose();

    private List<ChatEvent> Snapshot()
    {
        lock (_lock)
        {
            return [.. _events];
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            await foreach (var chatEvent in _subscription)
            {
                lock (_lock)
                {
                    _events.Add(chatEvent);
                    var changed = _changed;
                    _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    changed.TrySetResult();
                }
            }
        }
        finally
        {
            lock (_lock)
            {
                _ended = true;
                _changed.TrySetResult();
            }
        }
    }
}
