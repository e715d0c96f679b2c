using System.Net;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ActorChat.Api.Tests;

/// <summary>Tokens the server must refuse before the upgrade, and tokens that expire while their socket is open.</summary>
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
            "wrong-audience" => Mint("mallory", TimeSpan.FromMinutes(5), audience: "someone-else"),
            "wrong-issuer" => Mint("mallory", TimeSpan.FromMinutes(5), issuer: "evil"),
            "expired" => Mint("mallory", TimeSpan.FromMinutes(-5)),
            "alg-none" => Unsigned("mallory"),
            _ => Mint("mallory", TimeSpan.FromMinutes(5), key: "a-different-key-that-is-also-long-enough-012345"),
        };
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(server.SocketAddress, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    [Fact]
    public async Task A_socket_whose_token_expires_is_closed_with_4001()
    {
        await using var client = await ChatClient.ConnectAsync(server.SocketAddress, Mint("shortlived", TimeSpan.FromSeconds(2)));
        var status = await client.Closed.Task.WaitAsync(ChatClient.Deadline);
        Assert.Equal((WebSocketCloseStatus)4001, status);
    }

    [Fact]
    public async Task A_refresh_with_a_fresh_token_keeps_the_socket_open_past_the_old_expiry()
    {
        // Long enough that a slow machine still refreshes before the first token expires.
        var firstExpiry = DateTimeOffset.UtcNow.AddSeconds(6);
        await using var client = await ChatClient.ConnectAsync(server.SocketAddress, Mint("refresher", TimeSpan.FromSeconds(6)));
        var refreshed = await client.OkAsync("refresh", ("token", Mint("refresher", TimeSpan.FromMinutes(10))));
        Assert.True(DateTimeOffset.Parse(refreshed.Str("expiresAt"), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(5));

        // Nothing signals "did not close"; wait out the old expiry and check the socket still answers.
        var pastFirstExpiry = firstExpiry.AddSeconds(1) - DateTimeOffset.UtcNow;
        if (pastFirstExpiry > TimeSpan.Zero)
        {
            await Task.Delay(pastFirstExpiry);
        }
        await client.OkAsync("ping");

        var stolen = await client.RequestAsync("refresh", ("token", Mint("somebody-else", TimeSpan.FromMinutes(10))));
        Assert.Equal("forbidden", stolen.Str("code"));
    }

    internal static string Mint(string user, TimeSpan lifetime, string audience = "actorchat", string issuer = "actorchat", string key = ChatServer.SigningKey)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, user)]),
            IssuedAt = now.Add(lifetime < TimeSpan.Zero ? lifetime * 2 : TimeSpan.Zero),
            NotBefore = now.Add(lifetime < TimeSpan.Zero ? lifetime * 2 : TimeSpan.Zero),
            Expires = now.Add(lifetime),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
    }

    private static string Unsigned(string user)
    {
        static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        return $"{Encode("""{"alg":"none","typ":"JWT"}""")}.{Encode($$"""{"sub":"{{user}}","aud":"actorchat","iss":"actorchat","exp":{{exp}}}""")}.";
    }
}
