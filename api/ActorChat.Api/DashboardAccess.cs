using System.Security.Cryptography;
using System.Text;
using Orleans.Dashboard;

namespace ActorChat.Hosting;

/// <summary>
/// The Orleans dashboard at <c>/dashboard</c>, behind a key when <c>ActorChat:Dashboard:Key</c> is set: open it once
/// as <c>/dashboard?key=…</c> (the key is then kept in an HTTP-only cookie for the dashboard's own requests) or send
/// the <c>X-Dashboard-Key</c> header. Without a key the dashboard is open, as on a developer's machine.
/// </summary>
internal static class DashboardAccess
{
    public const string Path = "/dashboard";
    private const string Cookie = "actorchat-dashboard";

    public static WebApplication MapActorChatDashboard(this WebApplication app)
    {
        var key = app.Configuration["ActorChat:Dashboard:Key"];
        if (!string.IsNullOrEmpty(key))
        {
            var expected = Encoding.UTF8.GetBytes(key);
            app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), branch => branch.Use(async (context, next) =>
            {
                if (Matches(context.Request.Query["key"], expected))
                {
                    context.Response.Cookies.Append(Cookie, key, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = Path });
                    await next(context);
                }
                else if (Matches(context.Request.Cookies[Cookie], expected) || Matches(context.Request.Headers["X-Dashboard-Key"], expected))
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

    private static bool Matches(string? offered, byte[] expected) =>
        offered is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(offered), expected);
}
