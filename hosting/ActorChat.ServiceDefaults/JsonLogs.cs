using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace ActorChat.ServiceDefaults;

/// <summary>The one log format of a host that runs as part of a cluster, whatever its role.</summary>
public static class JsonLogs
{
    /// <summary>
    /// One JSON object per line, with scopes (connection, user, room), for a log collector. Hosts call it when they
    /// run in a real cluster; on a developer's machine the console's plain text stays easier to read.
    /// </summary>
    public static WebApplicationBuilder UseJsonLogs(this WebApplicationBuilder builder)
    {
        builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        return builder;
    }
}
