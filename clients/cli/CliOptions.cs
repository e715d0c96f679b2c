using System.Globalization;

namespace ActorChat.Cli;

/// <summary>The parsed command line: global options, then a command and its arguments.</summary>
internal sealed class CliOptions
{
    public const string Usage = """
        actorchat-cli: ActorChat in the terminal.

        Usage: actorchat-cli [--server URL] [--user NAME | --token TOKEN] COMMAND [ARGS]

        Commands:
          login NAME            sign in with the server's development login and remember the token
          rooms                 public rooms, your rooms with unread counts, and invitations
          join ROOM             chat in ROOM (or @user: a direct conversation): shows messages, presence,
                                typing and invitations; each line you type is sent
                                (/quit or end of input leaves)
          send ROOM TEXT...     send one message (ROOM may be @user for a direct message)
          tail ROOM [--since N] follow ROOM (or @user), printing each message once (and edits, deletions,
                                reactions, moderation); reconnects and resumes by itself
          reply ROOM SEQ TEXT...
                                send TEXT to ROOM as a reply to message #SEQ
          edit ROOM SEQ TEXT... replace the text of your message #SEQ
          delete ROOM SEQ       delete message #SEQ (yours, or any as an owner or admin)
          react ROOM SEQ EMOJI  react to message #SEQ with one emoji
          unreact ROOM SEQ EMOJI
                                take your reaction back

        Moderation (owners and admins of ROOM):
          role ROOM USER ROLE   make USER an owner, admin or member
          kick ROOM USER        end USER's membership (a public room lets them join again)
          ban ROOM USER [--until TIME]
                                kick USER and keep them out (for good, or until TIME)
          unban ROOM USER       let USER join again
          mute ROOM USER [--until TIME]
                                let USER read but not write (for good, or until TIME)
          unmute ROOM USER      let USER write again
          settings ROOM [--topic TEXT] [--slow-mode SECONDS]
                                change the topic and slow mode (0 turns it off)
          TIME is an ISO 8601 time (2026-12-01T18:00Z) or a duration from now: 90s, 10m, 2h, 7d.

        Options and environment:
          --server URL          server address (ACTORCHAT_SERVER, default http://localhost:5080)
          --user NAME           sign in as NAME with the development login for this command only
          --token TOKEN         use this token (ACTORCHAT_TOKEN)
          ACTORCHAT_CONFIG      directory of the saved tokens (default ~/.config/actorchat)

        Exit codes: 0 done, 1 the server refused or could not be reached, 2 bad usage.
        """;

    public Uri Server { get; private set; } = new("http://localhost:5080");

    public string? User { get; private set; }

    public string? Token { get; private set; }

    public long? Since { get; private set; }

    public DateTimeOffset? Until { get; private set; }

    public string? Topic { get; private set; }

    public int? SlowMode { get; private set; }

    public string Command { get; private set; } = string.Empty;

    public IReadOnlyList<string> Arguments { get; private set; } = [];

    public static CliOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var options = new CliOptions();
        if (environment("ACTORCHAT_SERVER") is { Length: > 0 } server)
        {
            options.Server = ParseServer(server);
        }

        options.Token = environment("ACTORCHAT_TOKEN") is { Length: > 0 } token ? token : null;
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--server":
                    options.Server = ParseServer(Value(args, ref i));
                    break;
                case "--user":
                    options.User = Value(args, ref i);
                    break;
                case "--token":
                    options.Token = Value(args, ref i);
                    break;
                case "--since":
                    options.Since = long.TryParse(Value(args, ref i), out var since) && since >= 0
                        ? since
                        : throw new CliException("usage", "--since takes a sequence number (an integer >= 0).", ExitCodes.Usage);
                    break;
                case "--until":
                    options.Until = ParseTime(Value(args, ref i));
                    break;
                case "--topic":
                    options.Topic = Value(args, ref i);
                    break;
                case "--slow-mode":
                    options.SlowMode = int.TryParse(Value(args, ref i), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                        ? seconds
                        : throw new CliException("usage", "--slow-mode takes seconds (an integer >= 0).", ExitCodes.Usage);
                    break;
                case "-h" or "--help":
                    options.Command = "help";
                    return options;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        if (rest.Count == 0)
        {
            throw new CliException("usage", "No command given.", ExitCodes.Usage);
        }

        options.Command = rest[0];
        options.Arguments = rest[1..];
        return options;
    }

    /// <summary>The argument at <paramref name="index"/>, or a usage error naming what is missing.</summary>
    public string Argument(int index, string name) =>
        index < Arguments.Count ? Arguments[index] : throw new CliException("usage", $"'{Command}' needs {name}.", ExitCodes.Usage);

    /// <summary>The argument at <paramref name="index"/> as a message's sequence number.</summary>
    public long Seq(int index) =>
        long.TryParse(Argument(index, "a message number (SEQ)"), NumberStyles.None, CultureInfo.InvariantCulture, out var seq) && seq > 0
            ? seq
            : throw new CliException("usage", $"'{Command}' needs a message number (an integer > 0), not '{Arguments[index]}'.", ExitCodes.Usage);

    /// <summary>The arguments from <paramref name="index"/> on, joined with spaces: the text of a message.</summary>
    public string Text(int index)
    {
        var text = string.Join(' ', Arguments.Skip(index));
        return text.Length > 0 ? text : throw new CliException("usage", $"'{Command}' needs the text to send.", ExitCodes.Usage);
    }

    private static string Value(IReadOnlyList<string> args, ref int i) =>
        ++i < args.Count ? args[i] : throw new CliException("usage", $"{args[i - 1]} needs a value.", ExitCodes.Usage);

    /// <summary>An ISO 8601 time, or a duration from now (<c>90s</c>, <c>10m</c>, <c>2h</c>, <c>7d</c>).</summary>
    private static DateTimeOffset ParseTime(string value)
    {
        if (value.Length > 1 && long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? span = value[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (span is { } duration)
            {
                return DateTimeOffset.UtcNow + duration;
            }
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new CliException("usage", $"--until takes an ISO 8601 time or a duration such as 10m, 2h or 7d, not '{value}'.", ExitCodes.Usage);
    }

    private static Uri ParseServer(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new CliException("usage", $"--server must be an http:// or https:// address, not '{value}'.", ExitCodes.Usage);
}
