using ActorChat.Client;

namespace ActorChat.Cli;

/// <summary>Where a command gets its token: --token, ACTORCHAT_TOKEN, --user (a fresh dev login) or the one saved by login.</summary>
internal sealed class CliSession(CliOptions options, ServerApi api, Credentials credentials)
{
    public CliOptions Options { get; } = options;

    public ServerApi Api { get; } = api;

    public async Task<SavedToken> LoginAsync(string user, CancellationToken cancellationToken)
    {
        var saved = await Api.LoginAsync(user, cancellationToken);
        credentials.Save(Options.Server, saved);
        return saved;
    }

    /// <summary>
    /// A client of the server that opens every socket (each command, each reconnect of <c>tail</c> and <c>join</c>)
    /// with a fresh one-use ticket, as the page does: the token goes in a header to <c>POST /api/auth/ticket</c>,
    /// never in a URL. It asks <see cref="TokenAsync"/> before every connect.
    /// </summary>
    public ChatClient NewChat() => new(new ChatClientOptions
    {
        Server = Options.Server,
        TokenProvider = cancellationToken => new ValueTask<string>(TokenAsync(cancellationToken)),
        HttpClient = Api.Http,
    });

    /// <summary>Asked again on every reconnect, so an expired dev-login token is replaced when it can be.</summary>
    public async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (Options.Token is { } token)
        {
            return token;
        }

        if (Options.User is { } user)
        {
            return (await Api.LoginAsync(user, cancellationToken)).Token;
        }

        var saved = credentials.Find(Options.Server)
            ?? throw new CliException("unauthorized", $"Not signed in to {Options.Server.GetLeftPart(UriPartial.Authority)}: run 'actorchat-cli login NAME' (or pass --user or --token).");
        if (saved.ExpiresAt > DateTimeOffset.UtcNow.AddMinutes(1))
        {
            return saved.Token;
        }

        // The saved token ran out: the development login hands out a new one for the same user.
        return (await LoginAsync(saved.User, cancellationToken)).Token;
    }
}
