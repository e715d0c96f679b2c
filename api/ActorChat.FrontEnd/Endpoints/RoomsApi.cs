using ActorChat.Contracts;
using ActorChat.FrontEnd.Auth;
using ActorChat.FrontEnd.Limits;
using ActorChat.FrontEnd.Protocol;
using ActorChat.FrontEnd.Sse;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.Endpoints;

/// <summary>The REST side: what is not real-time, plus publishing for bots and the polling path.</summary>
internal static class RoomsApi
{
    public static IEndpointRouteBuilder MapRoomsApi(this IEndpointRouteBuilder app)
    {
        var rooms = app.MapGroup("/api/rooms").RequireAuthorization().RequireRateLimiting(RestLimits.PerUser).WithTags("rooms");
        rooms.MapGet("/", ListRooms).WithName("ListRooms").WithSummary("Public rooms with member counts and last sequence.");
        rooms.MapGet("/{room}", GetRoom).WithName("GetRoom").WithSummary("One room.");
        rooms.MapGet("/{room}/messages", GetMessages).WithName("GetMessages").WithSummary("Messages after or before a sequence (members only).");
        rooms.MapPost("/{room}/messages", PostMessage).WithName("PostMessage").WithSummary("Send a message (members only).");
        rooms.MapGet("/{room}/events", (HttpContext context, string room, RoomEventStream stream) => stream.RunAsync(context, room))
            .AcceptsTickets()
            .WithName("RoomEvents").WithSummary("The room's events as Server-Sent Events; resumes from Last-Event-ID.");
        rooms.MapPost("/{room}/invites", PostInvite).WithName("InviteToRoom").WithSummary("Let a user join a private room (members only).");
        return app;
    }

    private static Task<IResult> ListRooms(string? after, int? limit, IGrainFactory grains, IOptions<ChatLimits> limits) => ChatProblems.Guard(async () =>
    {
        var size = Math.Clamp(limit ?? 100, 1, limits.Value.MaxRoomsPage);
        var listings = await grains.GetGrain<IRoomDirectoryGrain>(IRoomDirectoryGrain.Key).List(after, size);
        var infos = await Task.WhenAll(listings.Select(l => grains.GetGrain<IRoomGrain>(l.Room).Info()));
        return Results.Ok(new
        {
            rooms = infos.Select(i => new { id = i.Room, members = i.MemberCount, lastSeq = i.LastSeq }),
            next = listings.Count == size ? listings[^1].Room : null,
        });
    });

    private static Task<IResult> GetRoom(string room, HttpContext context, IGrainFactory grains) => ChatProblems.Guard(async () =>
    {
        var id = RequestRules.JoinableRoom(room, context.ChatUser());
        var grain = grains.GetGrain<IRoomGrain>(id);
        var info = await grain.Info();

        // A private room looks exactly like a missing one to anyone who is not in it.
        var visible = info.Exists && (!info.IsPrivate || await grain.IsMember(context.ChatUser()));
        return visible
            ? Results.Ok(new { id = info.Room, members = info.MemberCount, lastSeq = info.LastSeq, direct = info.IsDirect, @private = info.IsPrivate })
            : ChatProblems.From(ChatErrorCode.NotFound, "No such room.");
    });

    private static Task<IResult> GetMessages(string room, long? after, long? before, int? limit, HttpContext context, IGrainFactory grains, IOptions<ChatLimits> limits) =>
        ChatProblems.Guard(async () =>
        {
            var id = RequestRules.JoinableRoom(room, context.ChatUser());
            var max = limits.Value.MaxHistoryPage;
            if (limit is < 1 || limit > max || after is < 0 || before is < 1 || (after is not null && before is not null))
            {
                throw new ProtocolException(ChatErrorCode.BadRequest, $"Use after (>= 0) or before (>= 1), not both, and limit 1..{max}.");
            }

            var grain = grains.GetGrain<IRoomGrain>(id);
            var size = limit ?? limits.Value.DefaultHistoryPage;
            var page = after is { } a
                ? await grain.After(context.ChatUser(), a, size)
                : await grain.History(context.ChatUser(), before, size);
            return Results.Ok(new
            {
                room = id,
                messages = page.Messages.Select(m => new { room = m.Room, seq = m.Seq, from = m.From, text = m.Text, ts = m.Ts, clientMsgId = m.ClientMsgId }),
                hasMore = page.HasMore,
            });
        });

    private static Task<IResult> PostMessage(string room, PostMessageRequest? body, HttpContext context, IGrainFactory grains, IOptions<ChatLimits> limits, ChatMetrics metrics) =>
        ChatProblems.Guard(async () =>
        {
            var id = RequestRules.JoinableRoom(room, context.ChatUser());
            var text = RequestRules.Text(body?.Text, limits.Value);
            var clientMsgId = RequestRules.ClientMsgId(body?.ClientMsgId, limits.Value);
            var sent = await grains.GetGrain<IRoomGrain>(id).Send(context.ChatUser(), text, clientMsgId);
            metrics.Received();
            return Results.Created($"/api/rooms/{id}/messages?after={sent.Seq - 1}&limit=1", new { room = id, seq = sent.Seq, ts = sent.Ts });
        });

    private static Task<IResult> PostInvite(string room, InviteRequest? body, HttpContext context, IGrainFactory grains) =>
        ChatProblems.Guard(async () =>
        {
            var id = RequestRules.Room(room);
            var user = RequestRules.User(body?.User, "user");
            await grains.GetGrain<IRoomGrain>(id).Invite(context.ChatUser(), user);
            return Results.NoContent();
        });

    internal sealed record PostMessageRequest(string? Text, string? ClientMsgId);

    internal sealed record InviteRequest(string? User);
}
