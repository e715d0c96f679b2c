using ActorChat.Contracts;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ActorChat.FrontEnd.Auth;

internal static class AuthExtensions
{
    public static IServiceCollection AddChatAuthentication(this IServiceCollection services)
    {
        // Unset, the dev login follows the environment: on for a developer's run, off for anything deployed.
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart()
            .PostConfigure<IHostEnvironment>((o, environment) => o.DevLogin ??= environment.IsDevelopment() && string.IsNullOrEmpty(o.Authority));
        services.AddHostedService<AuthStartupLog>();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<IValidateOptions<AuthOptions>, SigningKeyValidator>();
        services.AddSingleton<SigningKey>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<TokenValidator>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKey, IOptions<AuthOptions>>((jwt, key, auth) =>
            {
                jwt.MapInboundClaims = false;
                var external = !string.IsNullOrEmpty(auth.Value.Authority);
                if (external)
                {
                    jwt.Authority = auth.Value.Authority;
                }

                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = external ? null : auth.Value.Issuer,
                    ValidAudience = auth.Value.Audience,
                    IssuerSigningKey = external ? null : key.Key,
                    ValidAlgorithms = external ? [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSsaPssSha256] : [SecurityAlgorithms.HmacSha256],
                    RequireExpirationTime = true,
                    NameClaimType = JwtRegisteredClaimNames.Sub,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                jwt.Events = new JwtBearerEvents
                {
                    // Browsers cannot set headers on a WebSocket, so the socket (and SSE) may carry the token in the query.
                    OnMessageReceived = context =>
                    {
                        if (string.IsNullOrEmpty(context.Token) && context.Request.Query.TryGetValue("access_token", out var token))
                        {
                            context.Token = token.ToString();
                        }

                        return Task.CompletedTask;
                    },
                };
            });
        services.AddAuthorizationBuilder()
            .AddDefaultPolicy("chat-user", policy => policy.RequireAuthenticatedUser().RequireAssertion(c => ChatIds.IsValidUser(c.User.FindFirst(JwtRegisteredClaimNames.Sub)?.Value)));
        return services;
    }

    /// <summary>The authenticated user id: the token's subject, never anything the client sends.</summary>
    public static string ChatUser(this HttpContext context) =>
        context.User.FindFirst(JwtRegisteredClaimNames.Sub)?.Value ?? throw new InvalidOperationException("No authenticated user.");

    /// <summary>When the caller's token expires, so a long-lived connection can end then.</summary>
    public static DateTimeOffset? TokenExpiry(this HttpContext context) =>
        long.TryParse(context.User.FindFirst("exp")?.Value, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
}
