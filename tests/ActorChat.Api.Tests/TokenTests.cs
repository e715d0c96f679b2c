using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace ActorChat.Api.Tests;

/// <summary>Tokens the server must refuse before the upgrade (expiry while a socket is open: <see cref="TokenExpiryTests"/>).</summary>
[Collection(ServerCollection.Name)]
public sealed class TokenTests(ChatServer server)
{
    public static TheoryData<string> Refused => new() { "wrong-audience", "wrong-issuer", "expired", "alg-none", "other-key" };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_token_that_fails_any_check_gets_401_before_the_upgrade(string kind)
    {
        var token = kind switch
        {
            "wrong-audience" => TestTokens.Mint("mallory", TimeSpan.FromMinutes(5), audience: "someone-else"),
            "wrong-issuer" => TestTokens.Mint("mallory", TimeSpan.FromMinutes(5), issuer: "evil"),
            "expired" => TestTokens.Mint("mallory", TimeSpan.FromMinutes(-5)),
            "alg-none" => Unsigned("mallory"),
            _ => TestTokens.Mint("mallory", TimeSpan.FromMinutes(5), key: "a-different-key-that-is-also-long-enough-012345"),
        };
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(server.SocketAddress, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    private static string Unsigned(string user)
    {
        static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        return $"{Encode("""{"alg":"none","typ":"JWT"}""")}.{Encode($$"""{"sub":"{{user}}","aud":"actorchat","iss":"actorchat","exp":{{exp}}}""")}.";
    }
}
