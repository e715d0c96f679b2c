namespace ActorChat.Cli;

/// <summary>A failure to report to the user and exit with: a server refusal (its protocol code) or a usage error.</summary>
internal sealed class CliException(string code, string message, int exitCode = ExitCodes.Failed) : Exception(message)
{
    public string Code { get; } = code;

    public int ExitCode { get; } = exitCode;

    /// <summary>The server said 401, on the socket or over REST.</summary>
    public static CliException Unauthorized() =>
        new("unauthorized", "The server refused the token (401): sign in again with 'actorchat-cli login NAME'.");
}

internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
}
