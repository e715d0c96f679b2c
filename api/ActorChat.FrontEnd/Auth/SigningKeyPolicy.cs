using System.Text;

namespace ActorChat.FrontEnd.Auth;

/// <summary>
/// The configured signing keys a server refuses to start with. Whoever knows or guesses the key can mint a token
/// for any user, so a key copied from an example or too regular to resist guessing is as bad as none.
/// </summary>
internal static class SigningKeyPolicy
{
    public const int MinimumBytes = 32;

    /// <summary>
    /// Least estimated entropy (<see cref="EstimatedEntropyBits"/>). A random 32-byte key in base64 estimates about
    /// 200 bits, 64 hex digits about 240; one character repeated estimates 0, two characters alternating 64.
    /// </summary>
    public const double MinimumEntropyBits = 128;

    /// <summary>
    /// Words that give away a key copied from an example or a manifest instead of generated. At six letters or more
    /// a random base64 key contains one by chance about once in a billion; hex digits cannot spell any of them.
    /// </summary>
    private static readonly string[] PlaceholderWords = ["change", "placeholder", "example", "secret", "replace"];

    private const string Remedy = "generate one with: head -c 48 /dev/urandom | base64";

    /// <summary>Why <paramref name="key"/> must not sign tokens (one line, never the key), or null when it may.</summary>
    public static string? Refusal(string key)
    {
        var bytes = Encoding.UTF8.GetByteCount(key);
        if (bytes < MinimumBytes)
        {
            return $"ActorChat:Auth:SigningKey must be at least {MinimumBytes} bytes (it has {bytes}); {Remedy}";
        }

        if (PlaceholderWords.FirstOrDefault(word => key.Contains(word, StringComparison.OrdinalIgnoreCase)) is { } placeholder)
        {
            return $"ActorChat:Auth:SigningKey looks like a placeholder (it contains \"{placeholder}\"); {Remedy}";
        }

        var bits = EstimatedEntropyBits(key);
        return bits < MinimumEntropyBits
            ? $"ActorChat:Auth:SigningKey is too predictable (about {bits:0} bits of entropy, at least {MinimumEntropyBits:0} needed); {Remedy}"
            : null;
    }

    /// <summary>
    /// Shannon entropy of the key's character frequencies times its length: a cheap upper bound on how hard the key
    /// is to guess that catches repetition and tiny alphabets. It cannot see a predictable but varied phrase, which
    /// is what <see cref="PlaceholderWords"/> is for.
    /// </summary>
    public static double EstimatedEntropyBits(string key)
    {
        if (key.Length == 0)
        {
            return 0;
        }

        var perCharacter = 0.0;
        foreach (var group in key.GroupBy(c => c))
        {
            var p = (double)group.Count() / key.Length;
            perCharacter -= p * Math.Log2(p);
        }

        return perCharacter * key.Length;
    }
}
