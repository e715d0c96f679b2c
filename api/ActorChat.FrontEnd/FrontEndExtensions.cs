using ActorChat.Contracts;
using ActorChat.FrontEnd.Auth;
using ActorChat.FrontEnd.Connections;
using ActorChat.FrontEnd.Endpoints;
using ActorChat.FrontEnd.Limits;
using ActorChat.FrontEnd.OpenApi;
using ActorChat.FrontEnd.Relay;
using ActorChat.FrontEnd.ServerApi;
using ActorChat.FrontEnd.Sockets;
using ActorChat.FrontEnd.Sse;
using ActorChat.FrontEnd.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd;

public static class FrontEndExtensions
{
    /// <summary>The name of ActorChat's own meter, for whoever collects metrics.</summary>
    public const string MeterName = ChatMetrics.MeterName;

    /// <summary>Registers the socket front end: options, authentication, relay and sessions.</summary>
    public static IHostApplicationBuilder AddActorChatFrontEnd(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        // Its request lines include the query string, where browsers send their one-use ticket (/ws?ticket=) and old
        // clients their token (?access_token=, with AllowQueryToken): kept at Warning whatever the configuration says,
        // so neither reaches a log.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<SocketOptions, SocketOptionsValidator>(SocketOptions.Section);

        // Read when the pipeline is built at start, so an invalid setting fails the start with its name, not the mapping.
        services.AddOptions<WebSocketOptions>().Configure<IOptions<SocketOptions>>((webSockets, sockets) =>
        {
            webSockets.KeepAliveInterval = sockets.Value.KeepAliveInterval;
            webSockets.KeepAliveTimeout = sockets.Value.KeepAliveTimeout;
            foreach (var origin in sockets.Value.AllowedOrigins)
            {
                webSockets.AllowedOrigins.Add(origin);
            }
        });
        services.AddValidatedOptions<ChatLimits, ChatLimitsValidator>(ChatLimits.Section);
        services.AddChatAuthentication();
        services.AddRestLimits();
        services.AddServerApi();
        services.AddApiDocument();

        // A silo that goes away mid-call (a rolling restart) is a 503 with Retry-After, not a server fault.
        services.AddProblemDetails();
        services.AddExceptionHandler<Protocol.ClusterFailures.Handler>();

        // REST answers carry text the way socket frames do: UTF-8, not \uXXXX escapes.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Encoder = Protocol.ChatJsonEncoder.Instance);
        services.AddMetrics();
        services.AddSingleton<ChatMetrics>();
        services.AddSingleton<ChatRelay>();
        services.AddValidatedOptions<RelayOptions, RelayOptionsValidator>(RelayOptions.Section);
        services.AddSingleton<ClusterConnectionWatcher>();
        services.AddSingleton<IClusterConnectionStatusObserver>(sp => sp.GetRequiredService<ClusterConnectionWatcher>());
        services.AddHostedService<RelayMaintenance>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<ConnectionLifecycle>();
        services.AddSingleton<ConnectionAdmission>();
        services.AddSingleton<RequestHandler>();
        services.AddSingleton<ChatSession>();
        services.AddSingleton<RoomEventStream>();
        services.AddOptions<WebClientOptions>().BindConfiguration(WebClientOptions.Section);
        services.AddHostedService<ConnectionShutdown>();
        return builder;
    }

    /// <summary>Maps <c>/ws</c>, the REST API, the event streams and the browser page.</summary>
    public static WebApplication MapActorChatFrontEnd(this WebApplication app)
    {
        // A body the framework could not read keeps its 4xx; only what is left is a server fault (500).
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = failure => failure is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : 500,
        });
        app.Use(Sockets.CoalescingUpgrade.Install);
        app.UseWebSockets();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRestLimits();
        app.MapChatSocket();
        app.MapAuthApi();
        app.MapRoomsApi();
        app.MapServerApi();
        app.MapStatsApi();
        app.MapApiDocument();
        app.MapClientAssets();
        return app;
    }
}
