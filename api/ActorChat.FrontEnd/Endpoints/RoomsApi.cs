using ActorChat.Contracts;
using ActorChat.FrontEnd.Auth;
using ActorChat.FrontEnd.Limits;
using ActorChat.FrontEnd.Protocol;
using ActorChat.FrontEnd.Sse;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.Endpoints;

/// <summary>The REST side of rooms: listing, one room, its settings, invitations and the event stream.</summary>
internal static class RoomsApi
{
    public static IEndpointRouteBuilder MapRoomsApi(this IEndpointRouteBuilder app)
    {
        var rooms = app.MapGroup("/api/rooms").RequireAuthorization().RequireRateLimiting(RestLimits.PerUser)
            .AddEndpointFilter(ChatProblems.Refusals).ProducesChatProblems().WithTags("rooms");
        rooms.MapGet("/", ListRooms).WithName("ListRooms").WithSummary("Public rooms with member counts and last sequence.");
        rooms.MapGet("/{room}", GetRoom).WithName("GetRoom").WithSummary("One room.");
        rooms.MapPatch("/{room}", Configure).WithName("ConfigureRoom").WithSummary("Set the topic or slow mode (owners and admins).");
        rooms.MapGet("/{room}/events", (HttpContext context, string room, RoomEventStream stream) => stream.RunAsync(context, room))
            .AcceptsTickets()
            .WithName("RoomEvents").WithSummary("The room's events as Server-Sent Events; resumes from Last-Event-ID.");
        rooms.MapPost("/{room}/invites", Invite).WithName("InviteToRoom").WithSummary("Let a user join a private room (members only).");
        rooms.MapMessagesApi();
        rooms.MapMembersApi();
        return app;
    }

    private static async Task<Ok<RoomsPage>> ListRooms(string? after, int? limit, IGrainFactory grains, IOptions<ChatLimits> limits)
    {
        var size = Math.Clamp(limit ?? 100, 1, limits.Value.MaxRoomsPage);
        var listings = await grains.Grain<IRoomDirectoryGrain>(IRoomDirectoryGrain.Key).List(after, size);
        var infos = await Task.WhenAll(listings.Select(l => grains.Room(l.Room).Info()));
        return TypedResults.Ok(new RoomsPage([.. infos.Select(i => new RoomSummary(i.Room, i.MemberCount, i.LastSeq))], listings.Count == size ? listings[^1].Room : null));
    }

    private static async Task<IResult> GetRoom(string room, HttpContext context, IGrainFactory grains)
    {
        var id = RequestRules.JoinableRoom(room, context.ChatUser());
        var grain = grains.Room(id);
        var info = await grain.Info();

        // A private room looks exactly like a missing one to anyone who is not in it.
        var visible = info.Exists && (!info.IsPrivate || await grain.IsMember(context.ChatUser()));
        return visible
            ? TypedResults.Ok(new RoomView(info.Room, info.MemberCount, info.LastSeq, info.IsDirect, info.IsPrivate, info.Topic, info.SlowModeSeconds))
            : ChatProblems.From(ChatErrorCode.NotFound, "No such room.");
    }

    private static async Task<Ok<RoomSettingsView>> Configure(string room, SettingsRequest? body, HttpContext context, IGrainFactory grains)
    {
        var id = RequestRules.Room(room);
        var grain = grains.Room(id);
        await grain.Configure(context.ChatUser(), body?.Topic, body?.SlowMode);
        return TypedResults.Ok(RoomSettingsView.Of(await grain.Info()));
    }

    private static async Task<NoContent> Invite(string room, InviteRequest? body, HttpContext context, IGrainFactory grains)
    {
        var id = RequestRules.Room(room);
        var user = RequestRules.User(body?.User, "user");
        await grains.Room(id).Invite(context.ChatUser(), user);
        return TypedResults.NoContent();
    }
}
