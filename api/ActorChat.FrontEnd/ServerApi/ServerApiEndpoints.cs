using System.Security.Claims;
using System.Threading.RateLimiting;
using ActorChat.Contracts;
using ActorChat.FrontEnd.Endpoints;
using ActorChat.FrontEnd.Protocol;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.ServerApi;

/// <summary>
/// <c>/api/server/</c>: what an application's backend does, with an API key rather than a user's token. Each route
/// asks for one scope; every call is logged with the key's name.
/// </summary>
internal static partial class ServerApiEndpoints
{
    private const string PerKey = "per-api-key";

    public static IServiceCollection AddServerApi(this IServiceCollection services)
    {
        services.AddValidatedOptions<ServerApiOptions, ServerApiOptionsValidator>(ServerApiOptions.Section);
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyHandler.SchemeName, displayName: "API key", _ => { });
        var authorization = services.AddAuthorizationBuilder();
        foreach (var scope in ApiKeyScopes.All)
        {
            authorization.AddPolicy(ApiKeyScopes.Policy(scope), policy => policy
                .AddAuthenticationSchemes(ApiKeyHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(ApiKeyScopes.ClaimType, scope));
        }

        services.AddRateLimiter(options => options.AddPolicy(PerKey, context =>
        {
            var limits = context.RequestServices.GetRequiredService<IOptions<ServerApiOptions>>().Value;
            var key = context.User.Identity?.AuthenticationType == ApiKeyHandler.SchemeName ? context.User.Identity.Name! : $"address {context.Connection.RemoteIpAddress}";
            return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = limits.RequestBurst,
                TokensPerPeriod = limits.RequestsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
            });
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapServerApi(this IEndpointRouteBuilder app)
    {
        var server = app.MapGroup("/api/server").RequireRateLimiting(PerKey)
            .AddEndpointFilter(LogUse).AddEndpointFilter(ChatProblems.Refusals).ProducesChatProblems().WithTags("server");
        server.MapPost("/rooms/{room}/messages", Publish).Scope(ApiKeyScopes.Publish)
            .WithName("ServerPublish").WithSummary("Post into a room as a bot or the system; no membership needed.");
        server.MapPost("/rooms", CreateRoom).Scope(ApiKeyScopes.Rooms)
            .WithName("ServerCreateRoom").WithSummary("Create a public or private room with its owner and first members.");
        server.MapPut("/rooms/{room}/members/{user}", AddMember).Scope(ApiKeyScopes.Rooms)
            .WithName("ServerAddMember").WithSummary("Add a member, past privacy, bans and quotas.");
        server.MapDelete("/rooms/{room}/members/{user}", RemoveMember).Scope(ApiKeyScopes.Rooms)
            .WithName("ServerRemoveMember").WithSummary("Remove a member; their connections stop receiving the room at once.");
        server.MapGet("/rooms/{room}", GetRoom).Scope(ApiKeyScopes.Read)
            .WithName("ServerGetRoom").WithSummary("Any room, private ones included.");
        server.MapGet("/rooms/{room}/messages", GetMessages).Scope(ApiKeyScopes.Read)
            .WithName("ServerGetMessages").WithSummary("Any room's history, newest page first; page back with before.");
        server.MapGet("/rooms/{room}/members", GetMembers).Scope(ApiKeyScopes.Read)
            .WithName("ServerGetMembers").WithSummary("Any room's members with role and presence (online null above the presence limit), by user id.");
        server.MapPost("/users/{user}/disconnect", Disconnect).Scope(ApiKeyScopes.Users)
            .WithName("ServerDisconnectUser").WithSummary("Close every connection of a user (4003), optionally revoking their tokens.");
        server.MapDelete("/users/{user}", Erase).Scope(ApiKeyScopes.Users)
            .WithName("ServerEraseUser").WithSummary("Erase a user: their messages' text, reactions, memberships and read pointers.");
        server.MapGet("/webhooks/dead-letters", DeadLetters).Scope(ApiKeyScopes.Webhooks)
            .WithName("ServerListDeadLetters").WithSummary("Webhook deliveries that gave up, most recent first.");
        server.MapPost("/webhooks/dead-letters/{eventId}/replay", Replay).Scope(ApiKeyScopes.Webhooks)
            .WithName("ServerReplayDeadLetter").WithSummary("Deliver a dead-lettered event again (to one endpoint, or all it failed at).");
        return app;
    }

    private static RouteHandlerBuilder Scope(this RouteHandlerBuilder route, string scope) => route.RequireAuthorization(ApiKeyScopes.Policy(scope));

    private static string KeyName(this HttpContext context) => context.User.FindFirst(ClaimTypes.Name)?.Value ?? "unknown";

    private static async ValueTask<object?> LogUse(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ServerApiEndpoints).FullName!);
        var key = context.KeyName();
        LogCall(logger, key, context.Request.Method, context.Request.Path);
        return await next(invocation);
    }

    private static async Task<Created<SentMessage>> Publish(string room, ServerPostRequest? body, HttpContext context, IGrainFactory grains, IOptions<ChatLimits> limits)
    {
        var id = RequestRules.Room(room);
        var text = RequestRules.Text(body?.Text, limits.Value);
        var clientMsgId = RequestRules.ClientMsgId(body?.ClientMsgId, limits.Value);
        var mentions = RequestRules.Mentions(body?.Mentions, limits.Value);
        var sender = body?.Sender is null ? context.KeyName() : RequestRules.User(body.Sender, "sender");
        var kind = body?.Kind switch
        {
            null or "bot" => SenderKind.Bot,
            "system" => SenderKind.System,
            _ => throw new ProtocolException(ChatErrorCode.BadRequest, "kind must be bot or system."),
        };
        var sent = await grains.Room(id).PostAs(kind, sender, new MessageDraft(text, clientMsgId, body?.ReplyTo, mentions));
        return TypedResults.Created($"/api/server/rooms/{id}/messages", new SentMessage(id, sent.Seq, sent.Ts));
    }

    private static async Task<Created<RoomView>> CreateRoom(CreateRoomRequest? body, IGrainFactory grains, IOptions<ChatLimits> limits)
    {
        var room = RequestRules.Room(body?.Room);
        if (ChatIds.TryParseDirect(room, out _, out _))
        {
            throw new ProtocolException(ChatErrorCode.BadRoom, "Direct conversations open with their first message.");
        }

        var owner = RequestRules.User(body?.Owner, "owner");
        var max = limits.Value.MaxMembersPage;
        if (body?.Members?.Count > max)
        {
            throw new ProtocolException(ChatErrorCode.BadRequest, $"A room opens with at most {max} members; add more one by one.");
        }

        var members = (body?.Members ?? []).Select(m => RequestRules.User(m, "members")).ToList();
        var info = await grains.Room(room).Open(owner, body?.Private ?? false, members);
        return TypedResults.Created($"/api/server/rooms/{room}", ServerViews.Room(info));
    }

    private static async Task<Ok<MembershipChange>> AddMember(string room, string user, IGrainFactory grains)
    {
        var (id, member) = (RequestRules.Room(room), RequestRules.User(user, "user"));
        var added = await grains.Room(id).Admit(member);
        return TypedResults.Ok(new MembershipChange(id, member, added));
    }

    private static async Task<Ok<MembershipChange>> RemoveMember(string room, string user, HttpContext context, IGrainFactory grains)
    {
        var (id, member) = (RequestRules.Room(room), RequestRules.User(user, "user"));
        var removed = await grains.Room(id).Remove(member, context.KeyName());
        return TypedResults.Ok(new MembershipChange(id, member, removed));
    }

    private static async Task<IResult> GetRoom(string room, IGrainFactory grains)
    {
        var info = await grains.Room(RequestRules.Room(room)).Info();
        return info.Exists ? TypedResults.Ok(ServerViews.Room(info)) : ChatProblems.From(ChatErrorCode.NotFound, "No such room.");
    }

    private static async Task<Ok<MessagesPage>> GetMessages(string room, long? before, int? limit, IGrainFactory grains, IOptions<ChatLimits> limits)
    {
        var id = RequestRules.Room(room);
        var max = limits.Value.MaxHistoryPage;
        if (limit is < 1 || limit > max || before is < 1)
        {
            throw new ProtocolException(ChatErrorCode.BadRequest, $"before must be >= 1 and limit 1..{max}.");
        }

        var page = await grains.Room(id).Browse(before, limit ?? limits.Value.DefaultHistoryPage);
        return TypedResults.Ok(MessagesPage.Of(id, page));
    }

    private static async Task<Ok<MembersView>> GetMembers(string room, string? after, int? limit, IGrainFactory grains, IOptions<ChatLimits> limits)
    {
        var id = RequestRules.Room(room);
        var max = limits.Value.MaxMembersPage;
        if (limit is < 1 || limit > max)
        {
            throw new ProtocolException(ChatErrorCode.BadRequest, $"limit must be 1..{max}.");
        }

        var page = await grains.Room(id).Roster(after, limit ?? max);
        return TypedResults.Ok(new MembersView(id, [.. page.Members.Select(m => new MemberView(m.User, page.PresenceOff ? null : m.Online, Frames.RoleName(m.Role)))], page.HasMore));
    }

    private static async Task<Ok<Disconnected>> Disconnect(string user, DisconnectRequest? body, IGrainFactory grains)
    {
        var id = RequestRules.User(user, "user");
        var revoke = body?.RevokeTokens ?? false;
        await grains.User(id).EndSessions(revoke);
        return TypedResults.Ok(new Disconnected(id, revoke));
    }

    private static async Task<Ok<ErasedUser>> Erase(string user, IGrainFactory grains)
    {
        var id = RequestRules.User(user, "user");
        var grain = grains.User(id);

        // Open connections close first (4003), so nothing of the user is being written while it is erased.
        await grain.EndSessions(revokeTokens: false);
        var rooms = await grain.Erase();
        return TypedResults.Ok(new ErasedUser(id, rooms));
    }

    private static async Task<Ok<DeadLettersView>> DeadLetters(int? limit, IGrainFactory grains)
    {
        if (limit is < 1 or > 1000)
        {
            throw new ProtocolException(ChatErrorCode.BadRequest, "limit must be 1..1000.");
        }

        var letters = await grains.Grain<IWebhookAdminGrain>(IWebhookAdminGrain.Key).DeadLetters(limit ?? 100);
        return TypedResults.Ok(new DeadLettersView([.. letters.Select(d => new DeadLetterView(d.EventId, d.Endpoint, d.Type, d.Attempts, d.LastError, d.CreatedAt, d.FailedAt))]));
    }

    private static async Task<IResult> Replay(string eventId, string? endpoint, IGrainFactory grains)
    {
        var count = await grains.Grain<IWebhookAdminGrain>(IWebhookAdminGrain.Key).Replay(eventId, endpoint);
        return count > 0 ? TypedResults.Ok(new Replayed(eventId, count)) : ChatProblems.From(ChatErrorCode.NotFound, "No dead letter of that event (and endpoint).");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Server API key {Key}: {Method} {Path}")]
    private static partial void LogCall(ILogger logger, string key, string method, PathString path);
}
