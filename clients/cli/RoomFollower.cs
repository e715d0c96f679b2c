using System.Net.WebSockets;
using System.Text.Json;

namespace ActorChat.Cli;

/// <summary>
/// Follows one room over a socket that it reopens whenever it drops (exponential backoff with jitter), re-joining
/// with <c>since</c> = the last seq it printed, so each message is printed once and none is skipped. A target
/// <c>@user</c> is the direct conversation with that user. Each connect asks <paramref name="ticket"/> for a new
/// one-use ticket (a ticket is spent by the connect it opened).
/// </summary>
internal sealed class RoomFollower(Uri server, Func<CancellationToken, Task<string>> ticket, string target, long? since, TextWriter output, TextWriter status, bool showSignals)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    // A direct room's id names both users, so it is known once the server has said who this user is.
    private string _room = target.StartsWith('@') ? string.Empty : target;
    private long? _cursor = since;
    private TaskCompletionSource<ChatLink> _open = NewOpen();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var attempt = 0;
        var everConnected = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            int? closeCode = null;
            ChatLink? link = null;
            try
            {
                link = await ChatLink.ConnectAsync(server, await ticket(cancellationToken), cancellationToken);
                if (_room.Length == 0)
                {
                    _room = DirectRoom(await link.UserAsync(cancellationToken), target[1..]);
                }

                await JoinAsync(link, cancellationToken);
                status.WriteLine(everConnected ? $"! resumed {target} after #{_cursor}" : $"! following {target} (last #{_cursor})");
                everConnected = true;
                attempt = 0;
                _open.TrySetResult(link);
                await foreach (var frame in link.Events.ReadAllAsync(cancellationToken))
                {
                    Print(frame);
                }

                closeCode = link.CloseCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                status.WriteLine($"! {ex.Message}");
            }
            finally
            {
                // Senders wait for the next link from here on, not the dead one.
                if (_open.Task.IsCompleted)
                {
                    _open = NewOpen();
                }

                if (link is not null)
                {
                    await link.DisposeAsync();
                }
            }

            var delay = Backoff(attempt++);
            status.WriteLine($"! connection lost{(closeCode is { } code ? $" ({code})" : string.Empty)}; reconnecting in {delay.TotalSeconds:0.0} s");
            try
            {
                await Task.Delay(delay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Sends a message once: after a drop it goes again with the same clientMsgId, which the server de-duplicates.</summary>
    public async Task<JsonElement> SendAsync(string text, CancellationToken cancellationToken)
    {
        var clientMsgId = Guid.NewGuid().ToString("N");
        while (true)
        {
            var link = await _open.Task.WaitAsync(cancellationToken);
            try
            {
                return await link.RequestAsync("send", new Dictionary<string, object?> { ["room"] = _room, ["text"] = text, ["clientMsgId"] = clientMsgId }, cancellationToken);
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                // Wait for the follower to reconnect, then try again.
            }
        }
    }

    private async Task JoinAsync(ChatLink link, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, object?> { ["room"] = _room };
        if (_cursor is { } seen)
        {
            fields["since"] = seen;
        }

        var ok = await link.RequestAsync("join", fields, cancellationToken);
        var lastSeq = ok.GetProperty("lastSeq").GetInt64();
        _cursor = _cursor is { } c ? Math.Min(c, lastSeq) : lastSeq;
        if (!ok.GetProperty("recovered").GetBoolean())
        {
            status.WriteLine("! some of the messages asked for are no longer kept by the server");
        }
    }

    private void Print(JsonElement frame)
    {
        switch (frame.GetProperty("type").GetString())
        {
            case "message" when frame.GetProperty("room").GetString() == _room:
                var seq = frame.GetProperty("seq").GetInt64();
                if (seq > (_cursor ?? 0))
                {
                    _cursor = seq;
                    output.WriteLine(Terminal.Message(frame));
                }

                break;
            case "presence" or "typing" when showSignals && frame.GetProperty("room").GetString() == _room:
                output.WriteLine(Terminal.Event(frame));
                break;
            case "invited" when showSignals:
                output.WriteLine(Terminal.Event(frame));
                break;
        }
    }

    /// <summary>The server's id of the direct room of two users: <c>dm:</c> and both ids, sorted ordinally.</summary>
    private static string DirectRoom(string me, string other) =>
        string.CompareOrdinal(me, other) <= 0 ? $"dm:{me}:{other}" : $"dm:{other}:{me}";

    private static bool IsTransient(Exception ex) => ex switch
    {
        // A front end going away may answer 502/503 (or lose a ticket) while another takes over.
        CliException cli => cli.Code is "disconnected" or "internal" or CliException.TicketRefused || cli.Code.StartsWith("http_5", StringComparison.Ordinal),
        WebSocketException or HttpRequestException or IOException or TimeoutException or ObjectDisposedException => true,
        _ => false,
    };

    private static TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, FirstDelay.TotalMilliseconds * Math.Pow(2, attempt));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
    }

    private static TaskCompletionSource<ChatLink> NewOpen() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
