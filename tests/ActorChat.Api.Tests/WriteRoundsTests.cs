using ActorChat.FrontEnd.Connections;

namespace ActorChat.Api.Tests;

/// <summary>The rounds that wake connections' writers, many from one thread-pool work item.</summary>
public sealed class WriteRoundsTests
{
    [Fact]
    public async Task Every_ready_writer_runs_once_in_the_order_it_became_ready_across_rounds()
    {
        // A slice of nothing: every writer after the first of a round waits for the next round.
        var rounds = new WriteRounds(TimeSpan.Zero);
        var order = new System.Collections.Concurrent.ConcurrentQueue<int>();
        var writers = Enumerable.Range(0, 500).Select(i => new Writer(i, order)).ToList();

        foreach (var writer in writers)
        {
            rounds.Ready(writer);
        }

        await Task.WhenAll(writers.Select(w => w.Ran.Task)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, 500), order);
    }

    [Fact]
    public async Task A_writer_made_ready_from_inside_a_round_runs_too()
    {
        var rounds = new WriteRounds(TimeSpan.FromSeconds(1));
        var order = new System.Collections.Concurrent.ConcurrentQueue<int>();
        var second = new Writer(2, order);
        var first = new Writer(1, order, then: () => rounds.Ready(second));

        rounds.Ready(first);

        await second.Ran.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([1, 2], order);
    }

    [Fact]
    public async Task A_round_that_starts_from_idle_waits_its_linger_and_takes_every_writer_ready_by_then()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var rounds = new WriteRounds(TimeSpan.FromSeconds(1), linger: TimeSpan.FromMilliseconds(1), clock);
        var order = new System.Collections.Concurrent.ConcurrentQueue<int>();
        var start = clock.GetUtcNow();
        var first = new Writer(1, order, clock);
        var second = new Writer(2, order, clock);

        rounds.Ready(first);
        rounds.Ready(second);

        // Nothing runs before the linger is over: the round waits on the timer, not in the thread pool's queue. The
        // fake clock moves only when told, so the time each writer ran at says when it ran.
        Assert.True(rounds.IsLingering);
        Assert.False(first.Ran.Task.IsCompleted);
        clock.Advance(TimeSpan.FromMicroseconds(999));
        Assert.True(rounds.IsLingering);
        Assert.False(first.Ran.Task.IsCompleted);

        clock.Advance(TimeSpan.FromMicroseconds(1));
        await Task.WhenAll(first.Ran.Task, second.Ran.Task).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([1, 2], order);
        Assert.Equal(first.Thread, second.Thread);
        Assert.Equal(start + TimeSpan.FromMilliseconds(1), first.RanAt);
        Assert.Equal(start + TimeSpan.FromMilliseconds(1), second.RanAt);

        // The next round lingers again, once this one has finished (a writer made ready while it still runs joins it).
        Assert.True(SpinWait.SpinUntil(() => rounds.IsIdle, TimeSpan.FromSeconds(30)));
        var third = new Writer(3, order, clock);
        rounds.Ready(third);
        Assert.True(rounds.IsLingering);
        Assert.False(third.Ran.Task.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await third.Ran.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(start + TimeSpan.FromMilliseconds(2), third.RanAt);
    }

    private sealed class Writer(int id, System.Collections.Concurrent.ConcurrentQueue<int> order, TimeProvider? clock = null, Action? then = null) : IThreadPoolWorkItem
    {
        public TaskCompletionSource Ran { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Thread { get; private set; }

        public DateTimeOffset RanAt { get; private set; }

        public void Execute()
        {
            Thread = Environment.CurrentManagedThreadId;
            RanAt = (clock ?? TimeProvider.System).GetUtcNow();
            order.Enqueue(id);
            then?.Invoke();
            Ran.SetResult();
        }
    }
}
