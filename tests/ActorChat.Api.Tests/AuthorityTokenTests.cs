using System.Net;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ActorChat.Api.Tests;

/// <summary>
/// Tokens whose issuer and keys come from an identity provider's published configuration (what
/// <c>ActorChat:Auth:Authority</c> sets up), here a fixed one: the socket's subprotocol token is checked against it
/// exactly as the <c>Authorization</c> header's is.
/// </summary>
public sealed class AuthorityTokenTests(AuthorityServer server) : IClassFixture<AuthorityServer>
{
    private static string NewUser(string name) => $"{name}{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task A_token_signed_with_the_published_key_by_the_published_issuer_opens_a_socket_either_way()
    {
        var token = TestTokens.Mint(NewUser("oidc"), TimeSpan.FromMinutes(10), issuer: AuthorityServer.Issuer, key: AuthorityServer.Key);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await Upgrade.StatusAsync(server.SocketAddress, bearer: token));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await Upgrade.StatusAsync(server.SocketAddress, subprotocols: ChatClient.SubprotocolsFor(token)));
    }

    [Fact]
    public async Task A_token_of_another_issuer_or_signed_with_another_key_is_refused_either_way()
    {
        var otherIssuer = TestTokens.Mint(NewUser("oidc"), TimeSpan.FromMinutes(10), issuer: "someone-else", key: AuthorityServer.Key);
        var otherKey = TestTokens.Mint(NewUser("oidc"), TimeSpan.FromMinutes(10), issuer: AuthorityServer.Issuer);
        foreach (var token in new[] { otherIssuer, otherKey })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await Upgrade.StatusAsync(server.SocketAddress, bearer: token));
            Assert.Equal(HttpStatusCode.Unauthorized, await Upgrade.StatusAsync(server.SocketAddress, subprotocols: ChatClient.SubprotocolsFor(token)));
        }
    }
}

/// <summary>A server whose bearer tokens are checked against a published configuration instead of the built-in key.</summary>
public sealed class AuthorityServer : ChatServer
{
    public const string Issuer = "https://login.example.test/";

    public const string Key = "authority-signing-key-that-is-long-enough-9876543210";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
        {
            var published = new OpenIdConnectConfiguration { Issuer = Issuer };
            published.SigningKeys.Add(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Key)));
            jwt.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(published);
            jwt.TokenValidationParameters.ValidIssuer = null;
            jwt.TokenValidationParameters.IssuerSigningKey = null;
        }));
    }
}
