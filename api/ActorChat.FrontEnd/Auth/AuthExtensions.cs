using ActorChat.Contracts;
using ActorChat.FrontEnd.Protocol;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ActorChat.FrontEnd.Auth;

internal static partial class AuthExtensions
{
    /// <summary>
    /// The default scheme: a ticket where the endpoint takes one and the query has one; the token in the subprotocol
    /// where a socket's upgrade offers one; else the bearer token in the <c>Authorization</c> header.
    /// </summary>
    public const string Scheme = "BearerOrTicket";

    public static IServiceCollection AddChatAuthentication(this IServiceCollection services)
    {
        // Unset, the dev login follows the environment: on for a developer's run, off for anything deployed.
        services.AddValidatedOptions<AuthOptions, AuthOptionsValidator>(AuthOptions.Section)
            .PostConfigure<IHostEnvironment>((o, environment) => o.DevLogin ??= environment.IsDevelopment() && string.IsNullOrEmpty(o.Authority));
        services.AddSingleton<IValidateOptions<AuthOptions>, SigningKeyValidator>();
        services.AddHostedService<AuthStartupLog>();
        services.AddSingleton<SigningKey>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<TokenValidator>();
        services.AddSingleton<TicketIssuer>();
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Bearer token, or a ticket on the socket and event-stream endpoints, or the token in the socket's subprotocol", policy => policy.ForwardDefaultSelector = SelectScheme)
            .AddJwtBearer()
            .AddScheme<AuthenticationSchemeOptions, TicketHandler>(Tickets.Scheme, displayName: null, _ => { })
            .AddScheme<AuthenticationSchemeOptions, SubprotocolTokenHandler>(SocketProtocol.Scheme, displayName: null, _ => { });
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKey, IOptions<AuthOptions>, ILoggerFactory>((jwt, key, auth, loggers) =>
            {
                var allowQueryToken = auth.Value.AllowQueryToken;
                var logger = loggers.CreateLogger(typeof(AuthExtensions).FullName!);
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
                    // Browsers cannot set headers on a WebSocket or an EventSource, and once sent the token in the query,
                    // where proxies log it. They use tickets now; the query token is for old clients, only where asked for.
                    OnMessageReceived = context =>
                    {
                        if (string.IsNullOrEmpty(context.Token) && context.Request.Query.TryGetValue("access_token", out var token))
                        {
                            if (allowQueryToken && Tickets.Accepted(context.HttpContext))
                            {
                                context.Token = token.ToString();
                            }
                            else
                            {
                                LogQueryTokenRefused(logger, context.Request.Path);
                            }
                        }

                        return Task.CompletedTask;
                    },

                    // A backend may revoke a user's tokens (server API): one issued before that is refused everywhere.
                    OnTokenValidated = async context =>
                    {
                        var user = context.Principal?.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;
                        if (ChatIds.IsValidUser(user))
                        {
                            var issuedAt = long.TryParse(context.Principal!.FindFirst(JwtRegisteredClaimNames.Iat)?.Value, out var seconds)
                                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                                : (DateTimeOffset?)null;
                            var grains = context.HttpContext.RequestServices.GetRequiredService<IGrainFactory>();
                            var owner = grains.User(user!);
                            if (!await ClusterFailures.ReadAsync(() => owner.Accepts(issuedAt)))
                            {
                                context.Fail("The token was revoked.");
                            }
                        }
                    },
                };
            });
        services.AddAuthorizationBuilder()
            .AddDefaultPolicy("chat-user", policy => policy.RequireAuthenticatedUser().RequireAssertion(c => ChatIds.IsValidUser(c.User.FindFirst(JwtRegisteredClaimNames.Sub)?.Value)));
        return services;
    }

    private static string SelectScheme(HttpContext context)
    {
        if (Tickets.Accepted(context) && context.Request.Query.ContainsKey(Tickets.QueryParameter))
        {
            return Tickets.Scheme;
        }

        return SocketProtocol.Accepted(context) && SocketProtocol.TryGetBearer(context, out _) ? SocketProtocol.Scheme : JwtBearerDefaults.AuthenticationScheme;
    }

    /// <summary>The authenticated user id: the token's subject, never anything the client sends.</summary>
    public static string ChatUser(this HttpContext context) =>
        context.User.FindFirst(JwtRegisteredClaimNames.Sub)?.Value ?? throw new InvalidOperationException("No authenticated user.");

    /// <summary>
    /// When the caller's token expires, so a long-lived connection can end then. Signed in with a ticket, this is
    /// the expiry of the token the ticket was bought with.
    /// </summary>
    public static DateTimeOffset? TokenExpiry(this HttpContext context) =>
        long.TryParse(context.User.FindFirst("exp")?.Value, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    /// <summary>When the caller's token was issued (<c>iat</c>), for the check against a revocation of the user's tokens.</summary>
    public static DateTimeOffset? TokenIssuedAt(this HttpContext context) =>
        long.TryParse(context.User.FindFirst(JwtRegisteredClaimNames.Iat)?.Value, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "A bearer token in the query string (access_token) of {Path} was ignored: sockets and event streams open with a ticket (POST /api/auth/ticket); only ActorChat:Auth:AllowQueryToken=true (deprecated) lets old clients use access_token there")]
    private static partial void LogQueryTokenRefused(ILogger logger, PathString path);
}
