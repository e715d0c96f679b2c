using ActorChat.Contracts;
using ActorChat.FrontEnd.Protocol;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ActorChat.FrontEnd.Auth;

/// <summary>
/// Checks a token outside the bearer middleware (one sent with <c>refresh</c>, or in the socket's subprotocol) exactly
/// as the middleware checks the <c>Authorization</c> header: signature, issuer, audience, lifetime, algorithm, a valid
/// user id as subject, and no revocation of the user's tokens since it was issued.
/// </summary>
internal sealed class TokenValidator(IOptionsMonitor<JwtBearerOptions> bearer, IGrainFactory grains)
{
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>Who <paramref name="token"/> signs in, or why it does not.</summary>
    public async Task<TokenCheck> CheckAsync(string token, CancellationToken cancellationToken = default)
    {
        var options = bearer.Get(JwtBearerDefaults.AuthenticationScheme);
        var parameters = options.TokenValidationParameters;
        if (options.ConfigurationManager is BaseConfigurationManager refreshing)
        {
            // As the bearer middleware does: the validation asks the authority's published configuration itself,
            // fetches it again on a key it does not know (a rotation) and keeps the last good one if the authority is away.
            parameters = parameters.Clone();
            parameters.ConfigurationManager = refreshing;
        }
        else if (options.ConfigurationManager is { } manager)
        {
            var configuration = await manager.GetConfigurationAsync(cancellationToken);
            parameters = parameters.Clone();
            parameters.ValidIssuers = [.. parameters.ValidIssuers ?? [], configuration.Issuer];
            parameters.IssuerSigningKeys = [.. parameters.IssuerSigningKeys ?? [], .. configuration.SigningKeys];
        }

        var result = await _handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            return TokenCheck.Refused("The token is not valid.");
        }

        var user = result.ClaimsIdentity.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;
        if (!ChatIds.IsValidUser(user))
        {
            return TokenCheck.Refused("The token's subject is not a valid user id.");
        }

        var issuedAt = result.SecurityToken is JsonWebToken { IssuedAt: var issued } && issued != DateTime.MinValue
            ? new DateTimeOffset(issued, TimeSpan.Zero)
            : (DateTimeOffset?)null;
        if (!await ClusterFailures.ReadAsync(() => grains.User(user!).Accepts(issuedAt)))
        {
            return TokenCheck.Refused("The token was revoked.");
        }

        var expiresAt = result.SecurityToken.ValidTo == DateTime.MinValue ? (DateTimeOffset?)null : new DateTimeOffset(result.SecurityToken.ValidTo, TimeSpan.Zero);
        return new TokenCheck(user, issuedAt, expiresAt, Refusal: null);
    }

    /// <summary>The new token's expiry, if it is valid and names <paramref name="user"/>.</summary>
    public async Task<DateTimeOffset?> ValidateAsync(string token, string user)
    {
        var check = await CheckAsync(token);
        if (check.Refusal is { } refusal)
        {
            throw new ProtocolException(ChatErrorCode.Forbidden, refusal);
        }

        if (check.User != user)
        {
            throw new ProtocolException(ChatErrorCode.Forbidden, "The token is for another user.");
        }

        return check.ExpiresAt;
    }
}
