using System.Globalization;
using ActorChat.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ActorChat.FrontEnd.Protocol;

/// <summary>RFC 7807 problem details carrying the protocol's error code, so REST and socket errors read alike.</summary>
internal static class ChatProblems
{
    public static IResult From(ChatErrorCode code, string detail, Dictionary<string, object?>? extensions = null) =>
        Of(StatusOf(code), code.WireName(), detail, extensions);

    /// <summary>A problem with its own status for a code of the HTTP layer (<c>unauthorized</c>, <c>unavailable</c>, a body too large).</summary>
    public static IResult Of(int status, string code, string detail, Dictionary<string, object?>? extensions = null)
    {
        extensions ??= [];
        extensions["code"] = code;
        return Results.Problem(
            statusCode: status,
            title: code,
            detail: detail,
            type: $"https://actorchat.dev/errors/{code}",
            extensions: extensions);
    }

    /// <summary>A grain's refusal; one that says when to try again (slow mode, a timed mute or ban) gets <c>Retry-After</c> and <c>retryAfterMs</c>.</summary>
    public static IResult From(ChatException refusal, HttpContext context)
    {
        if (refusal.RetryAt is not { } at)
        {
            return From(refusal.Code, refusal.Message);
        }

        var wait = at - context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var milliseconds = Math.Max(0, (long)Math.Ceiling(wait.TotalMilliseconds));
        context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return From(refusal.Code, refusal.Message, new Dictionary<string, object?> { ["retryAfterMs"] = milliseconds });
    }

    public static int StatusOf(ChatErrorCode code) => code switch
    {
        ChatErrorCode.BadRequest or ChatErrorCode.BadRoom or ChatErrorCode.UnknownType => StatusCodes.Status400BadRequest,
        ChatErrorCode.TooLong => StatusCodes.Status400BadRequest,
        ChatErrorCode.NotMember or ChatErrorCode.Forbidden or ChatErrorCode.Muted => StatusCodes.Status403Forbidden,
        ChatErrorCode.NotFound => StatusCodes.Status404NotFound,
        ChatErrorCode.RateLimited or ChatErrorCode.QuotaExceeded or ChatErrorCode.SlowMode => StatusCodes.Status429TooManyRequests,
        ChatErrorCode.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>Declares, for the OpenAPI document, the problem details every REST route may answer with.</summary>
    public static TBuilder ProducesChatProblems<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>An endpoint filter that turns the refusals a handler raises (bad input, a grain's no) into problem details.</summary>
    public static async ValueTask<object?> Refusals(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        try
        {
            return await next(invocation);
        }
        catch (ProtocolException ex)
        {
            return From(ex.Code, ex.Message);
        }
        catch (ChatException ex)
        {
            return From(ex, invocation.HttpContext);
        }
    }

    /// <summary>Runs a handler and turns the refusals it raises into problem details.</summary>
    public static async Task<IResult> Guard(Func<Task<IResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (ProtocolException ex)
        {
            return From(ex.Code, ex.Message);
        }
        catch (ChatException ex)
        {
            return From(ex.Code, ex.Message);
        }
    }
}
