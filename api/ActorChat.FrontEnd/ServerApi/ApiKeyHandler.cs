using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using ActorChat.Contracts;
using ActorChat.FrontEnd.Protocol;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.ServerApi;

/// <summary>
/// Signs a backend in with <c>Authorization: ApiKey &lt;secret&gt;</c>: the secret's SHA-256 is compared, in constant
/// time, with every configured key's hash (all of them, so timing tells nothing of which came close). The principal's
/// name is the key's name and its <c>scope</c> claims are the key's scopes. Refusals are problem details.
/// </summary>
internal sealed class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<ServerApiOptions> serverApi) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";

    private readonly (ApiKeyOptions Key, byte[] Hash)[] _keys = [.. serverApi.Value.Keys.Select(k => (k, Convert.FromHexString(k.Hash)))];

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(SchemeName + " ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var secret = header[(SchemeName.Length + 1)..].Trim();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        ApiKeyOptions? match = null;
        foreach (var (key, expected) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                match = key;
            }
        }

        if (match is null)
        {
            // The base class logs this message: it never quotes the secret.
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
        }

        List<Claim> claims = [new(ClaimTypes.Name, match.Name), .. match.Scopes.Select(s => new Claim(ApiKeyScopes.ClaimType, s))];
        var identity = new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, roleType: null);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = SchemeName;
        return ChatProblems.Of(
            StatusCodes.Status401Unauthorized,
            "unauthorized",
            "The server API needs Authorization: ApiKey <secret> with a configured key.").ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ChatProblems.From(ChatErrorCode.Forbidden, "This API key's scopes do not include this route's.").ExecuteAsync(Context);
}
