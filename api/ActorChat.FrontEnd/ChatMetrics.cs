using System.Diagnostics.Metrics;
using ActorChat.Contracts;
using ActorChat.FrontEnd.Connections;

namespace ActorChat.FrontEnd;

/// <summary>ActorChat's own meter, <c>ActorChat</c>; every instrument is listed in docs/operations.md.</summary>
internal sealed class ChatMetrics : IDisposable
{
    public const string MeterName = "ActorChat";

    private readonly Meter _meter;
    private readonly Counter<long> _received;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _slowConsumers;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _resubscriptions;
    private readonly Counter<long> _backfilled;
    private readonly Histogram<double> _sendDuration;
    private long _receivedTotal;
    private long _deliveredTotal;
    private long _slowConsumerTotal;
    private long _sendsWaiting;

    public ChatMetrics(IMeterFactory meters, ConnectionRegistry registry)
    {
        _meter = meters.Create(MeterName);
        _meter.CreateObservableUpDownCounter("actorchat.sockets.open", () => registry.Count, "{connection}", "Open connections on this node: WebSockets and Server-Sent Events streams.");
        _received = _meter.CreateCounter<long>("actorchat.messages.received", "{message}", "Messages accepted from clients (socket and REST).");
        _delivered = _meter.CreateCounter<long>("actorchat.messages.delivered", "{frame}", "Message frames handed to local sockets by the relay (fan-out deliveries).");
        _rejected = _meter.CreateCounter<long>("actorchat.requests.rejected", "{request}", "Requests answered with an error, by error code.");
        _refused = _meter.CreateCounter<long>("actorchat.connections.refused", "{connection}", "Sockets and event streams turned away by the connection limits, by reason: node_full, too_many_connections.");
        _slowConsumers = _meter.CreateCounter<long>("actorchat.sockets.slow_consumer_closes", "{socket}", "Sockets closed with 4008 because their outbound queue filled.");
        _resubscriptions = _meter.CreateCounter<long>("actorchat.relay.resubscriptions", "{subscription}", "Room watches re-established after a lost cluster connection or gateway, or a room that moved.");
        _backfilled = _meter.CreateCounter<long>("actorchat.relay.backfilled", "{message}", "Messages the relay fetched from a room grain to fill a gap in its stream.");
        _sendDuration = _meter.CreateHistogram<double>("actorchat.send.duration", "ms", "Time from a send request to its ok (stored and published).");
        _meter.CreateObservableUpDownCounter("actorchat.sends.waiting", () => SendsWaiting, "{message}", "Sends read from this node's sockets and not yet answered: what the rooms' commits hold back.");
    }

    /// <summary>The relay reports its room count this way, since it is built after the meter.</summary>
    public void ObserveRooms(Func<int> rooms) =>
        _meter.CreateObservableUpDownCounter("actorchat.relay.rooms", rooms, "{room}", "Rooms this node holds a stream subscription for (one per room with local sockets).");

    public void ObserveDirectoryWatchers(Func<int> watchers) =>
        _meter.CreateObservableUpDownCounter("actorchat.directory.watchers", watchers, "{connection}", "Connections on this node that watch the public room directory (after browse).");

    public long ReceivedTotal => Interlocked.Read(ref _receivedTotal);

    public long DeliveredTotal => Interlocked.Read(ref _deliveredTotal);

    public long SlowConsumerTotal => Interlocked.Read(ref _slowConsumerTotal);

    public long SendsWaiting => Interlocked.Read(ref _sendsWaiting);

    public void Received()
    {
        _received.Add(1);
        Interlocked.Increment(ref _receivedTotal);
    }

    public void Delivered(int frames)
    {
        _delivered.Add(frames);
        Interlocked.Add(ref _deliveredTotal, frames);
    }

    public void Rejected(ChatErrorCode code) => _rejected.Add(1, new KeyValuePair<string, object?>("code", code.WireName()));

    public void SlowConsumerClosed()
    {
        _slowConsumers.Add(1);
        Interlocked.Increment(ref _slowConsumerTotal);
    }

    public void Refused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Resubscribed() => _resubscriptions.Add(1);

    public void Backfilled(int messages) => _backfilled.Add(messages);

    public void SendsQueued(int sends) => Interlocked.Add(ref _sendsWaiting, sends);

    public void SendsAnswered(int sends) => Interlocked.Add(ref _sendsWaiting, -sends);

    public void SendCompleted(TimeSpan elapsed) => _sendDuration.Record(elapsed.TotalMilliseconds);

    public void Dispose() => _meter.Dispose();
}
