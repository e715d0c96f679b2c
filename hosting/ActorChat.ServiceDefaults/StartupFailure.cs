using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;

namespace ActorChat.ServiceDefaults;

public static class StartupFailure
{
    /// <summary>
    /// Runs the app until it stops. If it cannot start (a port in use, a setting out of range) the process ends
    /// with exit code 1 and one line saying why, rather than an unhandled-exception abort (exit 134 and a core
    /// dump) that buries the reason in a stack trace.
    /// </summary>
    public static int RunOrExit(this WebApplication app)
    {
        try
        {
            app.Run();
            return 0;
        }
        catch (Exception ex) when (ex is IOException or OptionsValidationException or InvalidOperationException)
        {
            var reason = ex is OptionsValidationException invalid ? string.Join("; ", invalid.Failures) : ex.Message;
            Console.Error.WriteLine($"{AppDomain.CurrentDomain.FriendlyName}: cannot start: {reason}");
            return 1;
        }
    }
}
