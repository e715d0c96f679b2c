using ActorChat.Contracts;
using Microsoft.AspNetCore.Http;

namespace ActorChat.FrontEnd.Protocol;

/// <summary>RFC 7807 problem details carrying the protocol's error code, so REST and socket errors read alike.</summary>
internal static class ChatProblems
{
    public static IResult From(ChatErrorCode code, string detail, Dictionary<string, object?>? extensions = null)
    {
        extensions ??= [];
        extensions["code"] = code.WireName();
        return Results.Problem(
            statusCode: StatusOf(code),
            title: code.WireName(),
            detail: detail,
            type: $"https://actorchat.dev/errors/{code.WireName()}",
            extensions: extensions);
    }

    public static int StatusOf(ChatErrorCode code) => code switch
    {
        ChatErrorCode.BadRequest or ChatErrorCode.BadRoom or ChatErrorCode.UnknownType => StatusCodes.Status400BadRequest,
        ChatErrorCode.TooLong => StatusCodes.Status400BadRequest,
        ChatErrorCode.NotMember or ChatErrorCode.Forbidden => StatusCodes.Status403Forbidden,
        ChatErrorCode.NotFound => StatusCodes.Status404NotFound,
        ChatErrorCode.RateLimited or ChatErrorCode.QuotaExceeded => StatusCodes.Status429TooManyRequests,
        ChatErrorCode.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status500InternalServerError,
    };

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
