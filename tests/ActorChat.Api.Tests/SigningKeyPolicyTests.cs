using System.Security.Cryptography;
using ActorChat.FrontEnd.Auth;

namespace ActorChat.Api.Tests;

/// <summary>Which configured signing keys a server refuses to start with, and that it says why without the key.</summary>
public sealed class SigningKeyPolicyTests
{
    public static TheoryData<string> Refused => new()
    {
        "change-me-to-at-least-32-bytes-of-random",
        "our-very-own-Secret-for-tokens-in-production-2024",
        "PLACEHOLDER-PLACEHOLDER-PLACEHOLDER",
        "an-example-key-from-the-documentation-page",
        new string('x', 64),
        string.Concat(Enumerable.Repeat("ab", 32)),
        "short-key",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_placeholder_a_short_key_or_a_predictable_key_is_refused_in_one_line_that_does_not_repeat_it(string key)
    {
        var reason = SigningKeyPolicy.Refusal(key);
        Assert.NotNull(reason);
        Assert.StartsWith("ActorChat:Auth:SigningKey ", reason, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', reason);
        Assert.DoesNotContain(key, reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(48)]
    [InlineData(64)]
    public void Random_bytes_in_base64_or_hex_are_accepted(int bytes)
    {
        // Many draws: the entropy estimate varies with the draw, and a random key must pass every time.
        for (var i = 0; i < 1000; i++)
        {
            var random = RandomNumberGenerator.GetBytes(bytes);
            Assert.Null(SigningKeyPolicy.Refusal(Convert.ToBase64String(random)));
            Assert.Null(SigningKeyPolicy.Refusal(Convert.ToHexString(random)));
        }
    }

    [Fact]
    public void The_test_servers_keys_are_accepted()
    {
        Assert.Null(SigningKeyPolicy.Refusal(ChatServer.SigningKey));
        Assert.Null(SigningKeyPolicy.Refusal("cluster-test-signing-key-0123456789abcdef"));
    }
}
