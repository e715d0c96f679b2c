using ActorChat.Contracts;
using ActorChat.FrontEnd.Auth;
using ActorChat.FrontEnd.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ActorChat.FrontEnd.Endpoints;

/// <summary>Roles and moderation over REST, as the socket's <c>role</c>, <c>kick</c>, <c>ban</c>, <c>unban</c>, <c>mute</c>, <c>unmute</c>.</summary>
internal static class MembersApi
{
    public static RouteGroupBuilder MapMembersApi(this RouteGroupBuilder rooms)
    {
        rooms.MapPut("/{room}/members/{user}/role", SetRole).WithName("SetRole").WithSummary("Give a member a role (owners and admins).");
        Moderation(rooms, "kick", ModerationAction.Kick, "End a member's membership (owners and admins).");
        Moderation(rooms, "ban", ModerationAction.Ban, "Remove a member and keep them out, until a time or for good.");
        Moderation(rooms, "unban", ModerationAction.Unban, "Lift a ban.");
        Moderation(rooms, "mute", ModerationAction.Mute, "Let a member read but not write, until a time or for good.");
        Moderation(rooms, "unmute", ModerationAction.Unmute, "Lift a mute.");
        return rooms;
    }

    private static void Moderation(RouteGroupBuilder rooms, string name, ModerationAction action, string summary) =>
        rooms.MapPost($"/{{room}}/members/{{user}}/{name}", (string room, string user, ModerationRequest? body, HttpContext context, IGrainFactory grains) =>
                ModerateAsync(room, user, action, action is ModerationAction.Ban or ModerationAction.Mute ? body?.End : null, context, grains))
            .WithName(char.ToUpperInvariant(name[0]) + name[1..] + "Member")
            .WithSummary(summary);

    private static async Task<Ok<MemberRoleView>> SetRole(string room, string user, RoleRequest? body, HttpContext context, IGrainFactory grains)
    {
        var id = RequestRules.Room(room);
        var member = RequestRules.User(user, "user");
        var role = RequestRules.Role(body?.Role);
        await grains.Room(id).SetRole(context.ChatUser(), member, role);
        return TypedResults.Ok(new MemberRoleView(id, member, Frames.RoleName(role)));
    }

    private static async Task<Ok<ModeratedMember>> ModerateAsync(string room, string user, ModerationAction action, DateTimeOffset? until, HttpContext context, IGrainFactory grains)
    {
        var id = RequestRules.Room(room);
        var member = RequestRules.User(user, "user");
        await grains.Room(id).Moderate(context.ChatUser(), member, action, until);
        return TypedResults.Ok(new ModeratedMember(id, member));
    }
}
