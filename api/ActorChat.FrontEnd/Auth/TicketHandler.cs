using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using ActorChat.Contracts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ActorChat.FrontEnd.Auth;

/// <summary>
/// Signs a request in with <c>?ticket=</c> on the endpoints that accept tickets: the ticket is redeemed (once, before
/// it expires) and the user is the one it was issued to. The principal carries the bearer token's own expiry as
/// <c>exp</c>, so a socket opened with a ticket still ends (4001) when the token would have, and its issue time as
/// <c>iat</c>, so a revocation of the user's tokens refuses it too.
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

        List<Claim> claims = [new(JwtRegisteredClaimNames.Sub, grant.User)];
        if (grant.TokenExpiresAt is { } expiry)
        {
            claims.Add(new(JwtRegisteredClaimNames.Exp, expiry.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
        }

        if (grant.TokenIssuedAt is { } issued)
        {
            claims.Add(new(JwtRegisteredClaimNames.Iat, issued.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
        }

        var identity = new ClaimsIdentity(claims, Scheme.Name, JwtRegisteredClaimNames.Sub, roleType: null);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}
