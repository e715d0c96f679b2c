using System.Threading.Channels;

namespace ActorChat.Client;

/// <summary>
/// The events of a <see cref="ChatClient"/> from the moment it was made, in order, until it is disposed (or the
/// client closes). It buffers what its reader has not taken yet, so read it steadily; <see cref="ChatClient.Events"/>
/// and <see cref="ChatClient.Messages"/> make and dispose one for you.
/// </summary>
public sealed class ChatSubscription : IAsyncEnumerable<ChatEvent>, IDisposable
{
    private readonly Channel<ChatEvent> _events = Channel.CreateUnbounded<ChatEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly Action<ChatSubscription> _unsubscribe;

    internal ChatSubscription(Action<ChatSubscription> unsubscribe)
    {
        _unsubscribe = unsubscribe;
    }

    public ChannelReader<ChatEvent> Reader => _events.Reader;

    public IAsyncEnumerator<ChatEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        _events.Reader.ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

    public void Dispose()
    {
        _unsubscribe(this);
        _events.Writer.TryComplete();
    }

    internal void Publish(ChatEvent chatEvent) => _events.Writer.TryWrite(chatEvent);

    internal void Complete(Exception? error = null) => _events.Writer.TryComplete(error);
}
