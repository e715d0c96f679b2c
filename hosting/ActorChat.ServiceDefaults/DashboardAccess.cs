using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Dashboard;

namespace ActorChat.ServiceDefaults;

/// <summary>
/// The Orleans dashboard at <c>/dashboard</c>. It shows every silo and grain and streams the live log, so it is only
/// served with a key (<c>ActorChat:Dashboard:Key</c>), or without one in the Development environment, as on a
/// developer's machine. With a key: open <c>/dashboard?key=…</c> once (an HTTP-only cookie then carries a value
/// derived from the key, never the key) or send the <c>X-Dashboard-Key</c> header.
/// </summary>
internal static partial class DashboardAccess
{
    public const string Path = "/dashboard";
    private const string Cookie = "actorchat-dashboard";

    /// <summary>What the cookie value is derived from, with the key: a leaked cookie does not give away the key.</summary>
    private static readonly byte[] CookieLabel = "ActorChat dashboard cookie v1"u8.ToArray();

    public static WebApplication MapDashboard(this WebApplication app)
    {
        // DashboardAccessOptions are validated when the host starts; read raw here so a bad key fails there, in one line.
        var key = app.Configuration[$"{DashboardAccessOptions.Section}:Key"];
        if (string.IsNullOrEmpty(key))
        {
            if (!app.Environment.IsDevelopment())
            {
                var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardAccess).FullName!);
                LogNotServed(logger);
                return app;
            }
        }
        else
        {
            var expected = Derive(key);
            app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), branch => branch.Use(async (context, next) =>
            {
                if (Matches(context.Request.Query["key"], expected))
                {
                    context.Response.Cookies.Append(Cookie, Convert.ToBase64String(expected), new CookieOptions
                    {
                        HttpOnly = true,
                        SameSite = SameSiteMode.Strict,
                        Path = Path,

                        // Behind a proxy that ends TLS the request looks like HTTP; the cookie is then not Secure.
                        Secure = context.Request.IsHttps,
                    });
                    await next(context);
                }
                else if (CookieMatches(context.Request.Cookies[Cookie], expected) || Matches(context.Request.Headers["X-Dashboard-Key"], expected))
                {
                    await next(context);
                }
                else
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                }
            }));
        }

        app.MapOrleansDashboard(routePrefix: Path);
        return app;
    }

    private static byte[] Derive(string key) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), CookieLabel);

    /// <summary>Compares derived values, so the comparison takes as long whatever the offered key's length.</summary>
    private static bool Matches(string? offered, byte[] expected) =>
        !string.IsNullOrEmpty(offered) && CryptographicOperations.FixedTimeEquals(Derive(offered), expected);

    private static bool CookieMatches(string? cookie, byte[] expected)
    {
        var value = new byte[expected.Length];
        return cookie is not null
            && Convert.TryFromBase64String(cookie, value, out var written)
            && written == expected.Length
            && CryptographicOperations.FixedTimeEquals(value, expected);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The Orleans dashboard is not served: set ActorChat:Dashboard:Key to serve it outside the Development environment")]
    private static partial void LogNotServed(ILogger logger);
}
