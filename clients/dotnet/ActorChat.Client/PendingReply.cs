using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ActorChat.Client;

/// <summary>A request waiting for its reply; completed on the receive loop, so its continuation runs elsewhere.</summary>
internal abstract class PendingReply
{
    public abstract void Complete(ChatFrame frame);

    public abstract void Fail(Exception error);
}

/// <summary>Any reply, ok or error, as a copy of the frame: for protocol tests and requests the library has no type for.</summary>
internal sealed class RawReply : PendingReply
{
    private readonly TaskCompletionSource<JsonElement> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<JsonElement> Task => _reply.Task;

    public override void Complete(ChatFrame frame) => _reply.TrySetResult(frame.ToJsonElement());

    public override void Fail(Exception error) => _reply.TrySetException(error);
}

/// <summary>
/// An ok deserialized straight from the pooled frame, or a <see cref="ChatException"/> for an error.
/// <paramref name="onOk"/> runs on the receive loop before any later frame is read: the client moves a room's
/// position there, so the messages a join replays right after its ok meet the right position.
/// </summary>
internal sealed class TypedReply<T>(JsonTypeInfo<T> typeInfo, Action<T>? onOk) : PendingReply
{
    private readonly TaskCompletionSource<T> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Task => _reply.Task;

    public override void Complete(ChatFrame frame)
    {
        try
        {
            if (frame.Type == FrameTypes.Error)
            {
                _reply.TrySetException(ChatException.FromError(frame.Deserialize(ChatJsonContext.Default.ErrorReply)));
                return;
            }

            var result = frame.Deserialize(typeInfo);
            onOk?.Invoke(result);
            _reply.TrySetResult(result);
        }
        catch (JsonException ex)
        {
            _reply.TrySetException(new ChatException(ChatErrorCodes.BadReply, $"The server's reply could not be read: {ex.Message}", ex));
        }
    }

    public override void Fail(Exception error) => _reply.TrySetException(error);
}
