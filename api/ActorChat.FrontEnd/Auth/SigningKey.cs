using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ActorChat.FrontEnd.Auth;

/// <summary>The process's token signing key: the configured one, or a random one made once at start.</summary>
internal sealed class SigningKey(IOptions<AuthOptions> options)
{
    public const int MinimumBytes = 32;

    public SymmetricSecurityKey Key { get; } = Create(options.Value.SigningKey);

    public bool IsEphemeral { get; } = string.IsNullOrEmpty(options.Value.SigningKey);

    private static SymmetricSecurityKey Create(string? configured)
    {
        if (string.IsNullOrEmpty(configured))
        {
            return new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(MinimumBytes * 2));
        }

        var bytes = Encoding.UTF8.GetBytes(configured);
        return bytes.Length >= MinimumBytes
            ? new SymmetricSecurityKey(bytes)
            : throw new OptionsValidationException(AuthOptions.Section, typeof(AuthOptions), [$"ActorChat:Auth:SigningKey must be at least {MinimumBytes} bytes."]);
    }
}
