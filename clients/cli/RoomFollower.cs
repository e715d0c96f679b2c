using ActorChat.Client;

namespace ActorChat.Cli;

/// <summary>
/// Follows one room with a <see cref="ChatClient"/>, which reconnects by itself (backoff with jitter, a fresh ticket
/// each time) and resumes the room after the last position it passed on, so each message is printed once and none is
/// skipped. A target <c>@user</c> is the direct conversation with that user.
/// </summary>
internal sealed class RoomFollower(ChatClient chat, string target, long? since, TextWriter output, TextWriter status, bool showSignals)
{
    // A direct room's id names both users, so it is known once the server has said who this user is.
    private string _room = target.StartsWith('@') ? string.Empty : target;
    private readonly TaskCompletionSource _followed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the room is joined, so what is typed has somewhere to go.</summary>
    public Task Followed => _followed.Task;

    /// <summary>Connects (retrying while the server cannot be reached), joins, and prints until cancelled or the client stops for good.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var events = chat.Subscribe();
        await ConnectAsync(cancellationToken);
        if (_room.Length == 0)
        {
            _room = DirectRoom(chat.User!, target[1..]);
        }

        var joined = await chat.JoinAsync(_room, since, cancellationToken: cancellationToken);
        status.WriteLine($"! following {target} (last #{chat.PositionOf(_room) ?? joined.LastSeq})");
        if (!joined.Recovered)
        {
            status.WriteLine("! some of the messages asked for are no longer kept by the server");
        }

        _followed.TrySetResult();
        try
        {
            await foreach (var chatEvent in events.WithCancellation(cancellationToken))
            {
                Print(chatEvent);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Sends a line; the client sends it again with the same clientMsgId after a reconnect, and the server stores it once.</summary>
    public Task<SendResult> SendAsync(string text, CancellationToken cancellationToken) =>
        chat.SendAsync(_room, text, cancellationToken: cancellationToken);

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await chat.ConnectAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                var delay = ChatBackoff.Default.DelayAfter(attempt, ex);
                status.WriteLine($"! {ex.Message}; trying again in {delay.TotalSeconds:0.0} s");
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    private void Print(ChatEvent chatEvent)
    {
        switch (chatEvent)
        {
            case ChatMessage message when message.Room == _room:
                output.WriteLine(Terminal.Message(message));
                break;
            case MessageEdited or MessageDeleted or ReactionChanged or MemberModerated or SettingsChanged when RoomOf(chatEvent) == _room:
                output.WriteLine(Terminal.Event(chatEvent));
                break;
            case PresenceChanged { Room: var room } when showSignals && room == _room:
            case UserTyping { Room: var typingRoom } when showSignals && typingRoom == _room:
            case Invited when showSignals:
                output.WriteLine(Terminal.Event(chatEvent));
                break;
            case RoomResumed resumed when resumed.Room == _room:
                status.WriteLine($"! resumed {target} after #{resumed.Since}");
                if (!resumed.Recovered)
                {
                    status.WriteLine("! some of the messages asked for are no longer kept by the server");
                }

                break;
            case RoomResumeFailed failed when failed.Room == _room:
                status.WriteLine($"! could not rejoin {target}: {failed.Error.Message} ({failed.Error.Code})");
                break;
            case ConnectionStateChanged { State: ChatConnectionState.Reconnecting } change:
                var why = change.Attempt == 1
                    ? $"connection lost{(change.CloseCode is { } code ? $" ({code})" : string.Empty)}"
                    : change.Error?.Message ?? "still away";
                status.WriteLine($"! {why}; reconnecting in {change.Delay.GetValueOrDefault().TotalSeconds:0.0} s");
                break;
        }
    }

    private static string? RoomOf(ChatEvent chatEvent) => chatEvent switch
    {
        MessageEdited e => e.Room,
        MessageDeleted e => e.Room,
        ReactionChanged e => e.Room,
        MemberModerated e => e.Room,
        SettingsChanged e => e.Room,
        _ => null,
    };

    /// <summary>The server's id of the direct room of two users: <c>dm:</c> and both ids, sorted ordinally.</summary>
    private static string DirectRoom(string me, string other) =>
        string.CompareOrdinal(me, other) <= 0 ? $"dm:{me}:{other}" : $"dm:{other}:{me}";

    /// <summary>
    /// The server cannot be reached, a front end going away answered 5xx or lost a ticket while another takes over,
    /// or a node's connection limits turned the socket away for now.
    /// </summary>
    private static bool IsTransient(Exception ex) => ex switch
    {
        ChatException chat => chat.Code is ChatErrorCodes.TicketRefused or ChatErrorCodes.Timeout or ChatErrorCodes.Internal
            or ChatErrorCodes.NodeFull or ChatErrorCodes.TooManyConnections || chat.Code.StartsWith("http_5", StringComparison.Ordinal),
        System.Net.WebSockets.WebSocketException or HttpRequestException or IOException or TimeoutException => true,
        _ => false,
    };
}
