using System.Globalization;
using ActorChat.Client;

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
                "reply" => ReplyAsync(session, cancellationToken),
                "tail" => FollowAsync(session, interactive: false, cancellationToken),
                "join" => FollowAsync(session, interactive: true, cancellationToken),
                "edit" or "delete" or "react" or "unreact" => ChangeAsync(session, cancellationToken),
                "role" or "kick" or "ban" or "unban" or "mute" or "unmute" or "settings" => ModerateAsync(session, cancellationToken),
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
        catch (ChatException ex) when (ex.InnerException is CliException cli)
        {
            // The token provider (this program's TokenAsync) failed while the client asked it for a token.
            status.WriteLine($"actorchat-cli: {cli.Message} ({cli.Code})");
            return cli.ExitCode;
        }
        catch (ChatException ex)
        {
            var message = ex.Code == ChatErrorCodes.Unauthorized ? CliException.Unauthorized().Message : ex.Message;
            status.WriteLine($"actorchat-cli: {message} ({ex.Code})");
            return ExitCodes.Failed;
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

        await using var chat = await ConnectAsync(session, cancellationToken);
        output.WriteLine("Your rooms:");
        foreach (var room in await chat.RoomsAsync(cancellationToken))
        {
            output.WriteLine($"  {room.Room,-32} {room.Unread,5} unread  last #{room.LastSeq}");
        }

        var invitations = await chat.InvitationsAsync(cancellationToken);
        if (invitations.Count > 0)
        {
            output.WriteLine("Invitations (join ROOM to accept):");
            foreach (var invitation in invitations)
            {
                output.WriteLine($"  {invitation.Room,-32} from {invitation.By}");
            }
        }
    }

    private async Task SendAsync(CliSession session, CancellationToken cancellationToken)
    {
        var target = session.Options.Argument(0, "a room (or @user)");
        var text = session.Options.Text(1);
        await using var chat = await ConnectAsync(session, cancellationToken);
        SendResult sent;
        if (target.StartsWith('@'))
        {
            sent = await chat.DirectMessageAsync(target[1..], text, cancellationToken: cancellationToken);
        }
        else
        {
            // Sending needs membership; joining a room one is already in changes nothing.
            await chat.JoinAsync(target, cancellationToken: cancellationToken);
            sent = await chat.SendAsync(target, text, cancellationToken: cancellationToken);
        }

        output.WriteLine($"sent to {sent.Room} as #{sent.Seq}");
    }

    private async Task ReplyAsync(CliSession session, CancellationToken cancellationToken)
    {
        var room = session.Options.Argument(0, "a room");
        var replyTo = session.Options.Seq(1);
        var text = session.Options.Text(2);
        await using var chat = await ConnectAsync(session, cancellationToken);
        await chat.JoinAsync(room, cancellationToken: cancellationToken);
        var sent = await chat.SendAsync(room, text, replyTo, cancellationToken: cancellationToken);
        output.WriteLine($"sent to {sent.Room} as #{sent.Seq}, a reply to #{replyTo}");
    }

    /// <summary><c>edit</c>, <c>delete</c>, <c>react</c> and <c>unreact</c>: changes to one message.</summary>
    private async Task ChangeAsync(CliSession session, CancellationToken cancellationToken)
    {
        var options = session.Options;
        var room = options.Argument(0, "a room");
        var seq = options.Seq(1);
        var emoji = options.Command is "react" or "unreact" ? options.Argument(2, "an emoji") : null;
        var text = options.Command == "edit" ? options.Text(2) : null;
        await using var chat = await ConnectAsync(session, cancellationToken);
        switch (options.Command)
        {
            case "edit":
                var edited = await chat.EditAsync(room, seq, text!, cancellationToken);
                output.WriteLine($"edited {edited.Room} #{edited.Seq}");
                break;
            case "delete":
                var deleted = await chat.DeleteAsync(room, seq, cancellationToken);
                output.WriteLine($"deleted {deleted.Room} #{deleted.Seq}");
                break;
            case "react":
                var added = await chat.ReactAsync(room, seq, emoji!, cancellationToken);
                output.WriteLine($"reacted {Terminal.Safe(added.Emoji)} to {added.Room} #{added.Seq} ({added.Count})");
                break;
            default:
                var removed = await chat.UnreactAsync(room, seq, emoji!, cancellationToken);
                output.WriteLine($"took back {Terminal.Safe(removed.Emoji)} from {removed.Room} #{removed.Seq} ({removed.Count})");
                break;
        }
    }

    /// <summary><c>role</c>, <c>kick</c>, <c>ban</c>, <c>unban</c>, <c>mute</c>, <c>unmute</c> and <c>settings</c>: what owners and admins do.</summary>
    private async Task ModerateAsync(CliSession session, CancellationToken cancellationToken)
    {
        var options = session.Options;
        var room = options.Argument(0, "a room");
        var user = options.Command == "settings" ? string.Empty : options.Argument(1, "a user");
        var role = options.Command == "role" ? options.Argument(2, "a role (owner, admin or member)") : string.Empty;
        if (options.Command == "settings" && options.Topic is null && options.SlowMode is null)
        {
            throw new CliException("usage", "'settings' needs --topic TEXT or --slow-mode SECONDS.", ExitCodes.Usage);
        }

        await using var chat = await ConnectAsync(session, cancellationToken);
        output.WriteLine(options.Command switch
        {
            "role" => $"{user} is now {(await chat.SetRoleAsync(room, user, role, cancellationToken)).Role} in {room}",
            "kick" => $"kicked {(await chat.KickAsync(room, user, cancellationToken)).User} from {room}",
            "ban" => $"banned {(await chat.BanAsync(room, user, options.Until, cancellationToken)).User} from {room}{Terminal.Until(options.Until)}",
            "unban" => $"unbanned {(await chat.UnbanAsync(room, user, cancellationToken)).User} in {room}",
            "mute" => $"muted {(await chat.MuteAsync(room, user, options.Until, cancellationToken)).User} in {room}{Terminal.Until(options.Until)}",
            "unmute" => $"unmuted {(await chat.UnmuteAsync(room, user, cancellationToken)).User} in {room}",
            _ => Settings(await chat.UpdateSettingsAsync(room, options.Topic, options.SlowMode, cancellationToken)),
        });
    }

    private static string Settings(SettingsResult settings) =>
        $"{settings.Room}: topic \"{Terminal.Safe(settings.Topic ?? string.Empty)}\", slow mode {settings.SlowMode} s";

    private async Task FollowAsync(CliSession session, bool interactive, CancellationToken cancellationToken)
    {
        var room = session.Options.Argument(0, "a room (or @user)");
        await using var chat = session.NewChat();
        var follower = new RoomFollower(chat, room, session.Options.Since, output, status, showSignals: interactive);
        if (!interactive)
        {
            await follower.RunAsync(cancellationToken);
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var following = follower.RunAsync(stop.Token);
        try
        {
            await ChatAsync(follower, following, stop.Token);
        }
        finally
        {
            await stop.CancelAsync();
            await following;
        }
    }

    /// <summary>A one-shot client: one attempt to connect, so a server that cannot be reached ends the command at once.</summary>
    private static async Task<ChatClient> ConnectAsync(CliSession session, CancellationToken cancellationToken)
    {
        var chat = session.NewChat();
        try
        {
            await chat.ConnectAsync(cancellationToken);
            return chat;
        }
        catch
        {
            await chat.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends each line typed once the room is followed; <c>/quit</c> or the end of input leaves.</summary>
    private async Task ChatAsync(RoomFollower follower, Task following, CancellationToken cancellationToken)
    {
        await Task.WhenAny(follower.Followed, following);
        if (following.IsCompleted)
        {
            await following;
            return;
        }

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
            catch (ChatException ex)
            {
                status.WriteLine($"! not sent: {ex.Message} ({ex.Code})");
            }
        }
    }
}
