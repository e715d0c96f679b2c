using System.Diagnostics;

namespace ActorChat.Bench;

/// <summary>Counters the scenarios bump, printed once a second while a run goes on.</summary>
internal sealed class Progress : IAsyncDisposable
{
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _printer;
    private readonly string _label;
    private long _connections;
    private long _sent;
    private long _received;

    public Progress(string label)
    {
        _label = label;
        _printer = PrintAsync();
    }

    public long Connections => Interlocked.Read(ref _connections);

    public long Sent => Interlocked.Read(ref _sent);

    public long Received => Interlocked.Read(ref _received);

    public void Connected() => Interlocked.Increment(ref _connections);

    public void SentOne() => Interlocked.Increment(ref _sent);

    public void ReceivedOne() => Interlocked.Increment(ref _received);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _printer;
        _stop.Dispose();
    }

    private async Task PrintAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Console.Error.WriteLine($"  {_label,-18} {_elapsed.Elapsed:mm\\:ss}  connections {Connections,6}  sent {Sent,9}  received {Received,11}");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
