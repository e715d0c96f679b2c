using ActorChat.Contracts;
using ActorChat.FrontEnd.Auth;
using ActorChat.FrontEnd.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.Endpoints;

/// <summary>A room's messages over REST: reading, posting (bots, the polling path), editing, deleting, reacting.</summary>
internal static class MessagesApi
{
    public static RouteGroupBuilder MapMessagesApi(this RouteGroupBuilder rooms)
    {
        rooms.MapGet("/{room}/messages", GetMessages).WithName("GetMessages").WithSummary("Messages after or before a sequence (members only).");
        rooms.MapPost("/{room}/messages", PostMessage).WithName("PostMessage").WithSummary("Send a message (members only).");
        rooms.MapPatch("/{room}/messages/{seq:long}", EditMessage).WithName("EditMessage").WithSummary("Replace a message's text (its author, within the edit window).");
        rooms.MapDelete("/{room}/messages/{seq:long}", DeleteMessage).WithName("DeleteMessage").WithSummary("Delete a message (its author, an owner or an admin).");
        rooms.MapPut("/{room}/messages/{seq:long}/reactions/{emoji}", (string room, long seq, string emoji, HttpContext context, IGrainFactory grains) =>
            React(room, seq, emoji, add: true, context, grains)).WithName("AddReaction").WithSummary("React to a message with one emoji.");
        rooms.MapDelete("/{room}/messages/{seq:long}/reactions/{emoji}", (string room, long seq, string emoji, HttpContext context, IGrainFactory grains) =>
            React(room, seq, emoji, add: false, context, grains)).WithName("RemoveReaction").WithSummary("Take back a reaction.");
        return rooms;
    }

    private static async Task<Ok<MessagesPage>> GetMessages(string room, long? after, long? before, int? limit, HttpContext context, IGrainFactory grains, IOptions<ChatLimits> limits)
    {
        var id = RequestRules.JoinableRoom(room, context.ChatUser());
        var max = limits.Value.MaxHistoryPage;
        if (limit is < 1 || limit > max || after is < 0 || before is < 1 || (after is not null && before is not null))
        {
            throw new ProtocolException(ChatErrorCode.BadRequest, $"Use after (>= 0) or before (>= 1), not both, and limit 1..{max}.");
        }

        var grain = grains.Room(id);
        var size = limit ?? limits.Value.DefaultHistoryPage;
        var page = after is { } a
            ? await grain.After(context.ChatUser(), a, size)
            : await grain.History(context.ChatUser(), before, size);
        return TypedResults.Ok(MessagesPage.Of(id, page));
    }

    private static async Task<Created<SentMessage>> PostMessage(string room, PostMessageRequest? body, HttpContext context, IGrainFactory grains, IOptions<ChatLimits> limits, ChatMetrics metrics)
    {
        var id = RequestRules.JoinableRoom(room, context.ChatUser());
        var text = RequestRules.Text(body?.Text, limits.Value);
        var clientMsgId = RequestRules.ClientMsgId(body?.ClientMsgId, limits.Value);
        var mentions = RequestRules.Mentions(body?.Mentions, limits.Value);
        if (body?.ReplyTo is < 1)
        {
            throw new ProtocolException(ChatErrorCode.BadRequest, "replyTo must be a message's seq.");
        }

        var sent = await grains.Room(id).Post(context.ChatUser(), new MessageDraft(text, clientMsgId, body?.ReplyTo, mentions));
        metrics.Received();
        return TypedResults.Created($"/api/rooms/{id}/messages?after={sent.Seq - 1}&limit=1", new SentMessage(id, sent.Seq, sent.Ts));
    }

    private static async Task<Ok<EditedMessage>> EditMessage(string room, long seq, EditMessageRequest? body, HttpContext context, IGrainFactory grains, IOptions<ChatLimits> limits)
    {
        var id = RequestRules.Room(room);
        var text = RequestRules.Text(body?.Text, limits.Value);
        var edited = await grains.Room(id).Edit(context.ChatUser(), seq, text);
        return TypedResults.Ok(new EditedMessage(id, seq, edited.Seq, edited.At));
    }

    private static async Task<Ok<DeletedMessage>> DeleteMessage(string room, long seq, HttpContext context, IGrainFactory grains)
    {
        var id = RequestRules.Room(room);
        var deleted = await grains.Room(id).Delete(context.ChatUser(), seq);
        return TypedResults.Ok(new DeletedMessage(id, seq, deleted.Seq));
    }

    private static async Task<Ok<ReactionCountView>> React(string room, long seq, string emoji, bool add, HttpContext context, IGrainFactory grains)
    {
        var id = RequestRules.Room(room);
        var valid = RequestRules.Emoji(emoji);
        var reacted = await grains.Room(id).React(context.ChatUser(), seq, valid, add);
        return TypedResults.Ok(new ReactionCountView(id, seq, valid, reacted.Count));
    }
}
