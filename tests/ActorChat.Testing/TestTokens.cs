using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ActorChat.Testing;

/// <summary>Tokens as an identity provider would issue them, by default for the test server's key, issuer and audience.</summary>
public static class TestTokens
{
    /// <summary>
    /// A token for <paramref name="user"/> that expires <paramref name="lifetime"/> after <paramref name="now"/>: the
    /// wall clock's now unless a server on a fake clock gives its own. Issued and valid from the wall clock's now
    /// all the same, because the token handler checks those against the wall clock (IdentityModel's clock cannot be
    /// replaced). A negative lifetime makes a token that expired that long ago. <paramref name="issuedAt"/> sets the
    /// <c>iat</c> claim alone (nothing checks it against a clock), for tests of token revocation.
    /// </summary>
    public static string Mint(
        string user,
        TimeSpan lifetime,
        DateTimeOffset? now = null,
        string audience = "actorchat",
        string issuer = "actorchat",
        string key = ChatServer.SigningKey,
        DateTime? issuedAt = null)
    {
        var wall = DateTime.UtcNow;
        var notBefore = wall.Add(lifetime < TimeSpan.Zero ? lifetime * 2 : TimeSpan.Zero);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, user)]),
            IssuedAt = issuedAt ?? notBefore,
            NotBefore = notBefore,
            Expires = (now?.UtcDateTime ?? wall).Add(lifetime),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
    }
}
