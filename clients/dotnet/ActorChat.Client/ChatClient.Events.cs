using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ActorChat.Client;

public sealed partial class ChatClient
{
    /// <summary>
    /// Every event from now on, in order: messages and changes once per (room, position), presence, typing, read,
    /// directory, invitations, and the client's own (<see cref="ConnectionStateChanged"/>, <see cref="RoomResumed"/>).
    /// Events that arrive between this call and the moment a previous <c>await</c> returns are kept.
    /// </summary>
    public ChatSubscription Subscribe()
    {
        var subscription = new ChatSubscription(Unsubscribe);
        lock (_lock)
        {
            if (State == ChatConnectionState.Closed)
            {
                subscription.Complete();
            }
            else
            {
                _subscribers = [.. _subscribers, subscription];
            }
        }

        return subscription;
    }

    /// <summary>Every event from the moment enumeration starts until it is cancelled or the client closes (see <see cref="Subscribe"/>).</summary>
    public async IAsyncEnumerable<ChatEvent> Events([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var subscription = Subscribe();
        await foreach (var chatEvent in subscription.Reader.ReadAllAsync(cancellationToken))
        {
            yield return chatEvent;
        }
    }

    /// <summary>
    /// The messages of <paramref name="room"/> as they arrive, each once and in order across reconnects. Joins the
    /// room first when this client has not, so nothing between the join and the first message is missed.
    /// </summary>
    public async IAsyncEnumerable<ChatMessage> Messages(string room, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var subscription = Subscribe();
        if (!_rooms.IsFollowed(room))
        {
            await JoinAsync(room, cancellationToken: cancellationToken);
        }

        await foreach (var chatEvent in subscription.Reader.ReadAllAsync(cancellationToken))
        {
            if (chatEvent is ChatMessage message && message.Room == room)
            {
                yield return message;
            }
        }
    }

    /// <summary>The highest position (message seq or change logSeq) passed on for <paramref name="room"/>, or null if none.</summary>
    public long? PositionOf(string room) => _rooms.PositionOf(room);

    /// <summary>Reads an event frame on the receive loop, drops what was passed on already, and publishes the rest.</summary>
    private void OnEvent(ChatFrame frame)
    {
        ChatEvent? chatEvent;
        try
        {
            chatEvent = Read(frame);
        }
        catch (JsonException)
        {
            // An event this version cannot read is skipped like an unknown one, not allowed to end the connection.
            return;
        }

        var passedOn = chatEvent switch
        {
            null => false,
            ChatMessage message => _rooms.Advance(message.Room, message.Seq),
            MessageEdited edited => _rooms.Advance(edited.Room, edited.LogSeq),
            MessageDeleted deleted => _rooms.Advance(deleted.Room, deleted.LogSeq),
            ReactionChanged reaction => _rooms.Advance(reaction.Room, reaction.LogSeq),
            MemberModerated moderated => _rooms.Advance(moderated.Room, moderated.LogSeq),
            SettingsChanged settings => _rooms.Advance(settings.Room, settings.LogSeq),
            _ => true,
        };
        if (!passedOn)
        {
            return;
        }

        // A kick or ban of this user ends the room's delivery; joining it again after a reconnect would be refused.
        if (chatEvent is MemberModerated { Action: ModerationActions.Kick or ModerationActions.Ban } removed && removed.User == User)
        {
            _rooms.Forget(removed.Room);
        }

        Publish(chatEvent!);
    }

    private static ChatEvent? Read(ChatFrame frame) => frame.Type switch
    {
        FrameTypes.Message => frame.Deserialize(ChatJsonContext.Default.ChatMessage),
        FrameTypes.Edited => frame.Deserialize(ChatJsonContext.Default.MessageEdited),
        FrameTypes.Deleted => frame.Deserialize(ChatJsonContext.Default.MessageDeleted),
        FrameTypes.Reaction => frame.Deserialize(ChatJsonContext.Default.ReactionChanged),
        FrameTypes.Moderation => frame.Deserialize(ChatJsonContext.Default.MemberModerated),
        FrameTypes.Settings => frame.Deserialize(ChatJsonContext.Default.SettingsChanged),
        FrameTypes.Presence => frame.Deserialize(ChatJsonContext.Default.PresenceChanged),
        FrameTypes.Typing => frame.Deserialize(ChatJsonContext.Default.UserTyping),
        FrameTypes.Read => frame.Deserialize(ChatJsonContext.Default.ReadMoved),
        FrameTypes.Directory => frame.Deserialize(ChatJsonContext.Default.DirectoryChanged),
        FrameTypes.Invited => frame.Deserialize(ChatJsonContext.Default.Invited),

        // Unknown events come from newer servers; ignoring them keeps this client working.
        _ => null,
    };

    private void Publish(ChatEvent chatEvent)
    {
        foreach (var subscription in Volatile.Read(ref _subscribers))
        {
            subscription.Publish(chatEvent);
        }
    }

    private void Unsubscribe(ChatSubscription subscription)
    {
        lock (_lock)
        {
            _subscribers = [.. _subscribers.Where(s => !ReferenceEquals(s, subscription))];
        }
    }

    /// <summary>Ends every subscription: normally after <see cref="CloseAsync"/>, with <paramref name="error"/> when the client stopped on its own.</summary>
    private void CompleteSubscriptions(Exception? error)
    {
        ChatSubscription[] subscribers;
        lock (_lock)
        {
            subscribers = _subscribers;
            _subscribers = [];
        }

        foreach (var subscription in subscribers)
        {
            subscription.Complete(error);
        }
    }
}
