namespace ActorChat.Cli;

/// <summary>A failure to report to the user and exit with: a server refusal (its protocol code) or a usage error.</summary>
internal sealed class CliException(string code, string message, int exitCode = ExitCodes.Failed) : Exception(message)
{
    public string Code { get; } = code;

    /// <summary>The socket's ticket was refused although the token bought it: try again with a new one.</summary>
    public const string TicketRefused = "ticket_refused";

    public int ExitCode { get; } = exitCode;

    /// <summary>The server said 401 to the token (over REST, and so when asked for a ticket).</summary>
    public static CliException Unauthorized() =>
        new("unauthorized", "The server refused the token (401): sign in again with 'actorchat-cli login NAME'.");
}

internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
}
