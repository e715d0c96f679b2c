using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ActorChat.FrontEnd.Auth;

/// <summary>
/// The principal of a socket or event stream signed in without the bearer middleware (a ticket, or the token in the
/// subprotocol): the user, and the token's expiry (<c>exp</c>, so the socket still ends when the token would have) and
/// issue time (<c>iat</c>, so a revocation of the user's tokens refuses it too). Only what the connection reads is
/// kept: it lives as long as the socket.
/// </summary>
internal static class SignedIn
{
    public static AuthenticationTicket Ticket(string scheme, string user, DateTimeOffset? expiresAt, DateTimeOffset? issuedAt)
    {
        List<Claim> claims = [new(JwtRegisteredClaimNames.Sub, user)];
        if (expiresAt is { } expiry)
        {
            claims.Add(new(JwtRegisteredClaimNames.Exp, expiry.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
        }

        if (issuedAt is { } issued)
        {
            claims.Add(new(JwtRegisteredClaimNames.Iat, issued.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
        }

        var identity = new ClaimsIdentity(claims, scheme, JwtRegisteredClaimNames.Sub, roleType: null);
        return new AuthenticationTicket(new ClaimsPrincipal(identity), scheme);
    }
}
