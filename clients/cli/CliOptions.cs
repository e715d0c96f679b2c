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
          tail ROOM [--since N] follow ROOM (or @user), printing each message once; reconnects and resumes
                                by itself

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

    private static string Value(IReadOnlyList<string> args, ref int i) =>
        ++i < args.Count ? args[i] : throw new CliException("usage", $"{args[i - 1]} needs a value.", ExitCodes.Usage);

    private static Uri ParseServer(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new CliException("usage", $"--server must be an http:// or https:// address, not '{value}'.", ExitCodes.Usage);
}
