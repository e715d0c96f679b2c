using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Messaging;

namespace ActorChat.FrontEnd.Protocol;

/// <summary>
/// Failures of the cluster rather than of the request: a silo going away mid-call (a rolling restart), a gateway that
/// stopped answering, a call that timed out. Repeating an idempotent call usually succeeds, because the client has by
/// then dropped the dead gateway; what still fails is answered 503 with <c>Retry-After</c>, never as a server fault.
/// </summary>
internal static partial class ClusterFailures
{
    public static bool IsTransient(Exception failure) => failure is TimeoutException
        or OrleansMessageRejectionException
        or SiloUnavailableException
        or ConnectionFailedException
        or ClientNotAvailableException;

    /// <summary>Runs an idempotent read, once more if the first attempt met a transient failure of the cluster.</summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception failure) when (IsTransient(failure))
        {
            return await read();
        }
    }

    /// <summary>Turns an unhandled transient cluster failure of any HTTP route (the socket upgrade included) into 503.</summary>
    internal sealed partial class Handler(ILogger<Handler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            if (!IsTransient(exception) || context.Response.HasStarted)
            {
                return false;
            }

            LogUnavailable(logger, exception, context.Request.Path);
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await ChatProblems.Of(
                StatusCodes.Status503ServiceUnavailable,
                "unavailable",
                "The cluster did not answer in time; nothing may have been done. Retry after the given seconds.").ExecuteAsync(context);
            return true;
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "The cluster failed a request to {Path}; answered 503")]
        private static partial void LogUnavailable(ILogger logger, Exception exception, PathString path);
    }

    private const int RetryAfterSeconds = 1;
}
