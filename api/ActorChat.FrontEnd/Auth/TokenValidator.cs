using ActorChat.Contracts;
using ActorChat.FrontEnd.Protocol;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ActorChat.FrontEnd.Auth;

/// <summary>Checks a token sent with <c>refresh</c> exactly as the upgrade's bearer token was checked.</summary>
internal sealed class TokenValidator(IOptionsMonitor<JwtBearerOptions> bearer, IGrainFactory grains)
{
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>The new token's expiry, if it is valid and names <paramref name="user"/>.</summary>
    public async Task<DateTimeOffset?> ValidateAsync(string token, string user)
    {
        var options = bearer.Get(JwtBearerDefaults.AuthenticationScheme);
        var parameters = options.TokenValidationParameters.Clone();
        if (options.ConfigurationManager is { } manager)
        {
            // An OpenID Connect authority publishes its keys; use the ones it publishes now.
            var configuration = await manager.GetConfigurationAsync(CancellationToken.None);
            parameters.ValidIssuers = [.. parameters.ValidIssuers ?? [], configuration.Issuer];
            parameters.IssuerSigningKeys = [.. parameters.IssuerSigningKeys ?? [], .. configuration.SigningKeys];
        }

        var result = await _handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            throw new ProtocolException(ChatErrorCode.Forbidden, "The token is not valid.");
        }

        if (result.ClaimsIdentity.FindFirst(JwtRegisteredClaimNames.Sub)?.Value != user)
        {
            throw new ProtocolException(ChatErrorCode.Forbidden, "The token is for another user.");
        }

        var issuedAt = result.SecurityToken is JsonWebToken { IssuedAt: var issued } && issued != DateTime.MinValue
            ? new DateTimeOffset(issued, TimeSpan.Zero)
            : (DateTimeOffset?)null;
        if (!await grains.User(user).Accepts(issuedAt))
        {
            throw new ProtocolException(ChatErrorCode.Forbidden, "The token was revoked.");
        }

        return result.SecurityToken.ValidTo == DateTime.MinValue ? null : new DateTimeOffset(result.SecurityToken.ValidTo, TimeSpan.Zero);
    }
}
