using System.Globalization;
using System.Threading.RateLimiting;
using ActorChat.Contracts;
using ActorChat.FrontEnd.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ActorChat.FrontEnd.Limits;

/// <summary>The REST API's share of the per-user limits: the request budget and a cap on body size.</summary>
internal static class RestLimits
{
    /// <summary>The rate limiting policy that charges the caller's request budget.</summary>
    public const string PerUser = "per-user";

    public static IServiceCollection AddRestLimits(this IServiceCollection services)
    {
        services.AddValidatedOptions<RestOptions, RestOptionsValidator>(RestOptions.Section);
        services.AddSingleton<RequestBudgets>();
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(PerUser, context =>
            {
                // The token's user where there is one; an anonymous caller is known by address only.
                var caller = context.User.FindFirst(JwtRegisteredClaimNames.Sub)?.Value ?? $"address {context.Connection.RemoteIpAddress}";
                // The partition's factory outlives the request (the limiter keeps it with the partition): it takes the
                // singletons, not the request's services, which would keep the whole request scope (its signed-in
                // principal, token and handlers) alive for as long as the user's partition.
                var budgets = context.RequestServices.GetRequiredService<RequestBudgets>();
                var time = context.RequestServices.GetRequiredService<TimeProvider>();
                return RateLimitPartition.Get(caller, key => new BudgetLimiter(budgets, key, time));
            });
            options.OnRejected = RefuseAsync;
        });
        return services;
    }

    /// <summary>Refuses oversized bodies under <c>/api</c> before they are read, and applies the rate limiter.</summary>
    public static WebApplication UseRestLimits(this WebApplication app)
    {
        var max = app.Services.GetRequiredService<IOptions<RestOptions>>().Value.MaxBodyBytes;
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), branch => branch.Use(async (context, next) =>
        {
            if (context.Request.ContentLength > max)
            {
                await TooLarge(max).ExecuteAsync(context);
                return;
            }

            // A body without a length (chunked) is cut off by the server once it passes the limit.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = max;
            }

            await next(context);
        }));
        app.UseRateLimiter();
        return app;
    }

    private static IResult TooLarge(int max) =>
        ChatProblems.Of(StatusCodes.Status413PayloadTooLarge, ChatErrorCode.TooLong.WireName(), $"A request body may be at most {max} bytes.");

    private static async ValueTask RefuseAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        context.RequestServices.GetRequiredService<ChatMetrics>().Rejected(ChatErrorCode.RateLimited);
        context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var problem = ChatProblems.From(ChatErrorCode.RateLimited, "Too many requests; nothing was done.",
            new Dictionary<string, object?> { ["retryAfterMs"] = (long)Math.Ceiling(retryAfter.TotalMilliseconds) });
        await problem.ExecuteAsync(context);
    }
}
