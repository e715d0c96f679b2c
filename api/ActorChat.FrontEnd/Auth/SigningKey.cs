using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ActorChat.FrontEnd.Auth;

/// <summary>The process's token signing key: the configured one, or a random one made once at start.</summary>
internal sealed class SigningKey(IOptions<AuthOptions> options)
{
    public SymmetricSecurityKey Key { get; } = Create(options.Value.SigningKey);

    public bool IsEphemeral { get; } = string.IsNullOrEmpty(options.Value.SigningKey);

    private static SymmetricSecurityKey Create(string? configured)
    {
        if (string.IsNullOrEmpty(configured))
        {
            return new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(SigningKeyPolicy.MinimumBytes * 2));
        }

        // SigningKeyValidator refuses these at start; checked again so no path signs with a refused key.
        return SigningKeyPolicy.Refusal(configured) is { } reason
            ? throw new OptionsValidationException(AuthOptions.Section, typeof(AuthOptions), [reason])
            : new SymmetricSecurityKey(Encoding.UTF8.GetBytes(configured));
    }
}
