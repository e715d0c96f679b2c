using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.Auth;

/// <summary>
/// Signs a WebSocket upgrade of <c>/ws</c> in with the bearer token offered as the subprotocol
/// <c>actorchat.bearer.&lt;token&gt;</c>, checked as the <c>Authorization</c> header's token is. The principal it
/// keeps for the socket's life is the slim one a ticket gives, not the parsed token.
/// </summary>
internal sealed class SubprotocolTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    TokenValidator tokens) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!SocketProtocol.Accepted(Context) || !SocketProtocol.TryGetBearer(Context, out var token))
        {
            return AuthenticateResult.NoResult();
        }

        // The failure messages are logged by the base class: they never quote the token.
        var check = await tokens.CheckAsync(token, Context.RequestAborted);
        return check.Refusal is { } refusal
            ? AuthenticateResult.Fail(refusal)
            : AuthenticateResult.Success(SignedIn.Ticket(Scheme.Name, check.User!, check.ExpiresAt, check.IssuedAt));
    }
}
