using ActorChat.Contracts;

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

        var outcomes = new PostOutcome[drafts.Count];
        if (_members.SlowModeSeconds > 0)
        {
            // Slow mode judges a message by the one before it: each draft waits for its predecessor's commit.
            for (var i = 0; i < drafts.Count; i++)
            {
                try
                {
                    outcomes[i] = new PostOutcome(await Post(user, drafts[i]), null);
                }
                catch (ChatException ex)
                {
                    outcomes[i] = new PostOutcome(null, ex);
                }
            }

            return outcomes;
        }

        // Each draft is numbered as soon as it is checked, before the next is looked at, so the order given is the
        // order stored; the log holds its write until all are appended, and the commit is awaited once.
        var appends = new Task<SendResult>?[drafts.Count];
        var trace = System.Diagnostics.Activity.Current?.Id;
        _log.Hold();
        try
        {
            for (var i = 0; i < drafts.Count; i++)
            {
                try
                {
                    appends[i] = _log.AppendAsync(user, await PrepareAsync(user, drafts[i]), trace);
                }
                catch (ChatException ex)
                {
                    outcomes[i] = new PostOutcome(null, ex);
                }
            }
        }
        finally
        {
            _log.Release();
        }

        for (var i = 0; i < drafts.Count; i++)
        {
            if (appends[i] is not { } append)
            {
                continue;
            }

            try
            {
                var sent = await append;
                _members.Sent(user, sent.Ts);
                outcomes[i] = new PostOutcome(sent, null);
            }
            catch (ChatException ex)
            {
                outcomes[i] = new PostOutcome(null, ex);
            }
        }

        return outcomes;
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
}
