using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.Auth;

/// <summary>Says at start-up how tokens are checked and whether the dev login is on; never a key or a token.</summary>
internal sealed partial class AuthStartupLog(IOptions<AuthOptions> options, SigningKey key, ILogger<AuthStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var auth = options.Value;
        var source = !string.IsNullOrEmpty(auth.Authority)
            ? $"OpenID Connect authority {auth.Authority}"
            : key.IsEphemeral ? "a random per-process HMAC key (set ActorChat:Auth:SigningKey to share tokens)" : "the configured HMAC key";
        LogAuth(logger, source, auth.DevLogin == true ? "ON: anyone may get a token for any user name" : "off");
        if (auth.AllowQueryToken)
        {
            LogQueryToken(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Tokens are checked against {Source}; dev login (POST /api/auth/token) is {DevLogin}")]
    private static partial void LogAuth(ILogger logger, string source, string devLogin);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ActorChat:Auth:AllowQueryToken is on (deprecated): sockets and event streams accept the bearer token as ?access_token=, which proxies write to their access logs")]
    private static partial void LogQueryToken(ILogger logger);
}
