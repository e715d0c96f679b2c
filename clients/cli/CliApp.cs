using System.Globalization;
using System.Text.Json;

namespace ActorChat.Cli;

/// <summary>Runs one command line: parses it, finds a token, carries out the command, maps failures to exit codes.</summary>
internal sealed class CliApp(TextWriter output, TextWriter status, TextReader input, Func<string, string?> environment)
{
    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        try
        {
            var options = CliOptions.Parse(args, environment);
            using var http = new HttpClient { BaseAddress = options.Server, Timeout = TimeSpan.FromSeconds(30) };
            var session = new CliSession(options, new ServerApi(http), Credentials.Default(environment));
            await (options.Command switch
            {
                "help" => Help(),
                "login" => LoginAsync(session, cancellationToken),
                "rooms" => RoomsAsync(session, cancellationToken),
                "send" => SendAsync(session, cancellationToken),
                "tail" => FollowAsync(session, interactive: false, cancellationToken),
                "join" => FollowAsync(session, interactive: true, cancellationToken),
                _ => throw new CliException("usage", $"Unknown command '{options.Command}'.", ExitCodes.Usage),
            });
            return ExitCodes.Ok;
        }
        catch (CliException ex)
        {
            status.WriteLine($"actorchat-cli: {ex.Message}{(ex.Code is "usage" ? string.Empty : $" ({ex.Code})")}");
            if (ex.ExitCode == ExitCodes.Usage)
            {
                status.WriteLine("Run 'actorchat-cli --help' for usage.");
            }

            return ex.ExitCode;
        }
        catch (HttpRequestException ex)
        {
            status.WriteLine($"actorchat-cli: cannot reach the server: {ex.Message}");
            return ExitCodes.Failed;
        }
        catch (System.Net.WebSockets.WebSocketException ex)
        {
            status.WriteLine($"actorchat-cli: the socket failed: {ex.Message}");
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
    }

    private Task Help()
    {
        output.WriteLine(CliOptions.Usage);
        return Task.CompletedTask;
    }

    private async Task LoginAsync(CliSession session, CancellationToken cancellationToken)
    {
        var saved = await session.LoginAsync(session.Options.Argument(0, "a user name"), cancellationToken);
        output.WriteLine($"Signed in to {session.Options.Server.GetLeftPart(UriPartial.Authority)} as {saved.User} until {saved.ExpiresAt.ToString("u", CultureInfo.InvariantCulture)}");
    }

    private async Task RoomsAsync(CliSession session, CancellationToken cancellationToken)
    {
        var token = await session.TokenAsync(cancellationToken);
        var listed = await session.Api.PublicRoomsAsync(token, cancellationToken);
        output.WriteLine("Public rooms:");
        foreach (var room in listed.GetProperty("rooms").EnumerateArray())
        {
            output.WriteLine($"  {room.GetProperty("id").GetString(),-32} {room.GetProperty("members").GetInt32(),5} members  last #{room.GetProperty("lastSeq").GetInt64()}");
        }

        await using var link = await ChatLink.ConnectAsync(session.Options.Server, await session.Api.TicketAsync(token, cancellationToken), cancellationToken);
        var mine = await link.RequestAsync("rooms", cancellationToken: cancellationToken);
        output.WriteLine("Your rooms:");
        foreach (var room in mine.GetProperty("rooms").EnumerateArray())
        {
            output.WriteLine($"  {room.GetProperty("room").GetString(),-32} {room.GetProperty("unread").GetInt64(),5} unread  last #{room.GetProperty("lastSeq").GetInt64()}");
        }

        var invitations = (await link.RequestAsync("invitations", cancellationToken: cancellationToken)).GetProperty("invitations");
        if (invitations.GetArrayLength() > 0)
        {
            output.WriteLine("Invitations (join ROOM to accept):");
            foreach (var invitation in invitations.EnumerateArray())
            {
                output.WriteLine($"  {invitation.GetProperty("room").GetString(),-32} from {invitation.GetProperty("by").GetString()}");
            }
        }
    }

    private async Task SendAsync(CliSession session, CancellationToken cancellationToken)
    {
        var target = session.Options.Argument(0, "a room (or @user)");
        var text = string.Join(' ', session.Options.Arguments.Skip(1));
        if (text.Length == 0)
        {
            throw new CliException("usage", "'send' needs the text to send.", ExitCodes.Usage);
        }

        await using var link = await ChatLink.ConnectAsync(session.Options.Server, await session.TicketAsync(cancellationToken), cancellationToken);
        var clientMsgId = Guid.NewGuid().ToString("N");
        JsonElement ok;
        if (target.StartsWith('@'))
        {
            ok = await link.RequestAsync("dm", new Dictionary<string, object?> { ["to"] = target[1..], ["text"] = text, ["clientMsgId"] = clientMsgId }, cancellationToken);
        }
        else
        {
            // Sending needs membership; joining a room one is already in changes nothing.
            await link.RequestAsync("join", new Dictionary<string, object?> { ["room"] = target }, cancellationToken);
            ok = await link.RequestAsync("send", new Dictionary<string, object?> { ["room"] = target, ["text"] = text, ["clientMsgId"] = clientMsgId }, cancellationToken);
        }

        output.WriteLine($"sent to {ok.GetProperty("room").GetString()} as #{ok.GetProperty("seq").GetInt64()}");
    }

    private async Task FollowAsync(CliSession session, bool interactive, CancellationToken cancellationToken)
    {
        var room = session.Options.Argument(0, "a room (or @user)");
        var follower = new RoomFollower(session.Options.Server, session.TicketAsync, room, session.Options.Since, output, status, showSignals: interactive);
        if (!interactive)
        {
            await follower.RunAsync(cancellationToken);
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var following = follower.RunAsync(stop.Token);
        try
        {
            await ChatAsync(follower, stop.Token);
        }
        finally
        {
            await stop.CancelAsync();
            await following;
        }
    }

    /// <summary>Sends each line typed; <c>/quit</c> or the end of input leaves.</summary>
    private async Task ChatAsync(RoomFollower follower, CancellationToken cancellationToken)
    {
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Trim() == "/quit")
            {
                return;
            }

            if (line.Trim().Length == 0)
            {
                continue;
            }

            try
            {
                await follower.SendAsync(line, cancellationToken);
            }
            catch (CliException ex)
            {
                status.WriteLine($"! not sent: {ex.Message} ({ex.Code})");
            }
        }
    }
}
