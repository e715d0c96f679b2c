using System.Security.Cryptography;
using System.Text;

namespace ActorChat.Grains.Webhooks;

/// <summary>
/// <c>ActorChat-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body" under the endpoint's secret&gt;</c>.
/// The time is signed with the body, so a receiver can refuse an old delivery replayed to it.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "ActorChat-Signature";
    public const string DeliveryHeader = "ActorChat-Delivery";

    public static string Sign(string secret, DateTimeOffset at, string body)
    {
        var seconds = at.ToUnixTimeSeconds();
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{seconds}.{body}"));
        return $"t={seconds},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>What a receiver does: true when the header signs this body with this secret within <paramref name="tolerance"/> of now.</summary>
    public static bool Verify(string secret, string header, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("t", out var t) || !long.TryParse(t, out var seconds) || !parts.TryGetValue("v1", out var given))
        {
            return false;
        }

        var at = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if ((now - at).Duration() > tolerance)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, at, body).Split("v1=")[1]);
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(given));
    }
}
