using System.Diagnostics.Metrics;
using System.Text;
using ActorChat.Contracts;

namespace ActorChat.Storage;

/// <summary>The store's own meter, <c>ActorChat.Storage</c> (listed in docs/operations.md).</summary>
public sealed class StoreMetrics : IDisposable
{
    public const string MeterName = "ActorChat.Storage";

    private readonly Meter _meter;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _textBytes;
    private long _textBytesTotal;
    private Func<long> _commits = () => 0;

    public StoreMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _messages = _meter.CreateCounter<long>("actorchat.store.messages_appended", "{message}", "Messages written to the store.");
        _textBytes = _meter.CreateCounter<long>("actorchat.store.text_bytes_appended", "By", "UTF-8 bytes of message text written to the store: what the disk writes per send are compared with.");
    }

    /// <summary>Text bytes appended so far, for the benchmark's bytes-per-send figure.</summary>
    public long TextBytesTotal => Interlocked.Read(ref _textBytesTotal);

    /// <summary>Transactions committed so far.</summary>
    public long Commits => _commits();

    internal void ObserveCommits(Func<long> commits)
    {
        _commits = commits;
        _meter.CreateObservableCounter("actorchat.store.commits", commits, "{commit}", "Transactions committed by the store's writers; each carries every write that was waiting (group commit).");
    }

    internal void Appended(IReadOnlyList<ChatMessage> messages)
    {
        var bytes = messages.Sum(m => (long)Encoding.UTF8.GetByteCount(m.Text));
        _messages.Add(messages.Count);
        _textBytes.Add(bytes);
        Interlocked.Add(ref _textBytesTotal, bytes);
    }

    public void Dispose() => _meter.Dispose();
}
