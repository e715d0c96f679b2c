using System.Text.Encodings.Web;
using ActorChat.Contracts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.Auth;

/// <summary>
/// Signs a request in with <c>?ticket=</c> on the endpoints that accept tickets: the ticket is redeemed (once, before
/// it expires) and the user is the one it was issued to, signed in as <see cref="SignedIn"/> describes.
/// </summary>
internal sealed class TicketHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IGrainFactory grains) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Tickets.Accepted(Context) || !Request.Query.TryGetValue(Tickets.QueryParameter, out var values))
        {
            return AuthenticateResult.NoResult();
        }

        // The failure messages are logged by the base class: they never quote the ticket.
        var ticket = values.ToString();
        if (!Tickets.IsWellFormed(ticket))
        {
            return AuthenticateResult.Fail("The ticket is not one this server issues.");
        }

        var key = Tickets.Key(ticket);
        var grant = await grains.Grain<ITicketShardGrain>(ITicketShardGrain.Of(key)).Redeem(key);
        if (grant is null)
        {
            return AuthenticateResult.Fail("The ticket is unknown, used already or expired.");
        }

        // A revocation of the user's tokens since the ticket was bought refuses it as it refuses the token.
        if (!await grains.User(grant.User).Accepts(grant.TokenIssuedAt))
        {
            return AuthenticateResult.Fail("The token the ticket was bought with was revoked.");
        }

        return AuthenticateResult.Success(SignedIn.Ticket(Scheme.Name, grant.User, grant.TokenExpiresAt, grant.TokenIssuedAt));
    }
}
