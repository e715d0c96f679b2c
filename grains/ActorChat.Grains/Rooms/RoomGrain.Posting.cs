using ActorChat.Contracts;
using Microsoft.Extensions.Logging;

namespace ActorChat.Grains.Rooms;

/// <summary>Sending: a draft is checked against the sender's standing, numbered, stored, then answered.</summary>
internal sealed partial class RoomGrain
{
    public Task<SendResult> Send(string user, string text, string? clientMsgId) => Post(user, new MessageDraft(text, clientMsgId));

    public async Task<SendResult> Post(string user, MessageDraft draft)
    {
        draft = await PrepareAsync(user, draft);

        // The sender's trace travels with the event, so the relays' delivery joins the same trace.
        var sent = await _log.AppendAsync(user, draft, System.Diagnostics.Activity.Current?.Id);
        _members.Sent(user, sent.Ts);
        return sent;
    }

    public async Task<IReadOnlyList<PostOutcome>> PostMany(string user, IReadOnlyList<MessageDraft> drafts)
    {
        if (drafts.Count > _limits.MaxPostBatch)
        {
            throw new ChatException(ChatErrorCode.BadRequest, $"At most {_limits.MaxPostBatch} messages in one call.");
        }

        var outcomes = new PostOutcome?[drafts.Count];
        if (_members.SlowModeSeconds > 0)
        {
            // Slow mode judges a message by the one before it: each draft waits for its predecessor's commit (Post
            // records when the sender last spoke).
            for (var i = 0; i < drafts.Count; i++)
            {
                outcomes[i] = await OutcomeAsync(Post(user, drafts[i]));
            }

            return outcomes!;
        }

        // Every draft is checked first (checks may read the store); then all are numbered and appended with no await
        // in between, so the order given is the order stored and the log holds its write only for that loop.
        var prepared = new MessageDraft?[drafts.Count];
        for (var i = 0; i < drafts.Count; i++)
        {
            try
            {
                prepared[i] = await PrepareAsync(user, drafts[i]);
            }
            catch (Exception ex)
            {
                outcomes[i] = Refused(ex);
            }
        }

        var appends = new Task<SendResult>?[drafts.Count];
        var trace = System.Diagnostics.Activity.Current?.Id;
        _log.Hold();
        try
        {
            for (var i = 0; i < drafts.Count; i++)
            {
                if (prepared[i] is { } draft)
                {
                    appends[i] = _log.AppendAsync(user, draft, trace);
                }
            }
        }
        finally
        {
            _log.Release();
        }

        for (var i = 0; i < drafts.Count; i++)
        {
            if (appends[i] is { } append)
            {
                var outcome = await OutcomeAsync(append);
                if (outcome.Sent is { } sent)
                {
                    _members.Sent(user, sent.Ts);
                }

                outcomes[i] = outcome;
            }
        }

        return outcomes!;

        async Task<PostOutcome> OutcomeAsync(Task<SendResult> sending)
        {
            try
            {
                return new PostOutcome(await sending, null);
            }
            catch (Exception ex)
            {
                return Refused(ex);
            }
        }

        // A refusal is the draft's own answer; any other failure is `internal` for that draft alone (the drafts before
        // it may be stored, and their senders hear so).
        PostOutcome Refused(Exception ex)
        {
            if (ex is not ChatException refusal)
            {
                LogPostFailed(logger, ex, _room);
                refusal = new ChatException(ChatErrorCode.Internal, "The message could not be stored; it may be retried.");
            }

            return new PostOutcome(null, refusal);
        }
    }

    /// <summary>Checks a draft (room, text, sender's standing, reply, mentions) and returns it with its mentions resolved.</summary>
    private async Task<MessageDraft> PrepareAsync(string user, MessageDraft draft)
    {
        EnsureValidRoom();
        ValidateText(draft.Text);
        if (_direct is { } pair)
        {
            EnsureParticipant(user);

            // The sender first: a conversation it opens counts against the sender's quotas, never the recipient's.
            await AddMemberAsync(user, createPrivate: false);
            await AddMemberAsync(user == pair.A ? pair.B : pair.A, createPrivate: false);
        }

        var state = await EnsureCanSpeakAsync(user);
        EnsureNotSlowed(state);
        draft = draft with { Mentions = await MentionsAsync(draft.Mentions) };
        if (draft.ReplyTo is { } replyTo)
        {
            await MessageAsync(replyTo);
        }

        return draft;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Posting a message in room {Room} failed")]
    private static partial void LogPostFailed(ILogger logger, Exception exception, string room);
}
