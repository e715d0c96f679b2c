using ActorChat.Contracts;
using Microsoft.Data.Sqlite;

namespace ActorChat.Grains.Tests.Messages;

/// <summary>Edits, deletions, reactions, replies and mentions: who may, what is kept, what is gone.</summary>
[Collection(ClockedCollection.Name)]
public sealed class MessageLifecycleTests(ClockedFixture fixture)
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task The_author_edits_within_the_window_and_nobody_else_ever()
    {
        var (room, owner, author) = await RoomAsync("edit");
        var sent = await room.Post(author, new MessageDraft("frist", null));
        var edited = await room.Edit(author, sent.Seq, "first");
        Assert.True(edited.Seq > sent.Seq);

        var message = Assert.Single((await room.History(author, null, 10)).Messages);
        Assert.Equal(("first", fixture.Clock.GetUtcNow()), (message.Text, message.EditedAt));

        // The owner may delete it but never put words in the author's mouth.
        Assert.Equal(ChatErrorCode.Forbidden, (await Assert.ThrowsAsync<ChatException>(() => room.Edit(owner, sent.Seq, "owned"))).Code);

        // An hour later the window is shut.
        fixture.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(ChatErrorCode.Forbidden, (await Assert.ThrowsAsync<ChatException>(() => room.Edit(author, sent.Seq, "too late"))).Code);

        // Neither text nor seq of something else: a change's seq, a seq beyond the log, too long a text.
        Assert.Equal(ChatErrorCode.NotFound, (await Assert.ThrowsAsync<ChatException>(() => room.Edit(author, edited.Seq, "x"))).Code);
        Assert.Equal(ChatErrorCode.NotFound, (await Assert.ThrowsAsync<ChatException>(() => room.Edit(author, 999, "x"))).Code);
        var fresh = await room.Post(author, new MessageDraft("again", null));
        Assert.Equal(ChatErrorCode.TooLong, (await Assert.ThrowsAsync<ChatException>(() => room.Edit(author, fresh.Seq, new string('x', 4001)))).Code);
    }

    [Fact]
    public async Task A_deleted_message_is_gone_from_storage_and_cannot_be_edited_or_reacted_to()
    {
        var (room, owner, author) = await RoomAsync("delete");
        var secret = $"secret-text-{_run}";
        var sent = await room.Post(author, new MessageDraft(secret, "c1", Mentions: [owner]));
        await room.Edit(author, sent.Seq, $"{secret}-edited");
        await room.React(owner, sent.Seq, "👍", add: true);

        // Another member may not delete it; the owner may.
        var bystander = $"bystander{_run}";
        await room.Join(bystander);
        Assert.Equal(ChatErrorCode.Forbidden, (await Assert.ThrowsAsync<ChatException>(() => room.Delete(bystander, sent.Seq))).Code);
        await room.Delete(owner, sent.Seq);

        var tombstone = Assert.Single((await room.History(author, null, 10)).Messages);
        Assert.Equal((true, string.Empty, null, null), (tombstone.Deleted, tombstone.Text, tombstone.Reactions, tombstone.Mentions));
        Assert.Equal(ChatErrorCode.NotFound, (await Assert.ThrowsAsync<ChatException>(() => room.Edit(author, sent.Seq, "back"))).Code);
        Assert.Equal(ChatErrorCode.NotFound, (await Assert.ThrowsAsync<ChatException>(() => room.React(owner, sent.Seq, "👍", true))).Code);
        Assert.Equal(ChatErrorCode.NotFound, (await Assert.ThrowsAsync<ChatException>(() => room.Delete(owner, sent.Seq))).Code);

        // Nowhere in the database: not in the message, not in the edit that came before.
        Assert.Empty(RowsContaining(secret));

        // The log replays the deletion, and never the text.
        var log = await room.ReadLog(0, 100);
        Assert.DoesNotContain(log.Entries, e => e is MessagePosted posted && posted.Message.Text.Contains(secret, StringComparison.Ordinal));
        Assert.Contains(log.Entries, e => e is MessageDeleted deleted && deleted.Target == sent.Seq);
    }

    [Fact]
    public async Task Reactions_are_one_per_user_per_emoji_counted_and_bounded_in_kinds()
    {
        var (room, owner, author) = await RoomAsync("react");
        var sent = await room.Post(author, new MessageDraft("react to me", null));
        Assert.Equal(1, (await room.React(owner, sent.Seq, "👍", add: true)).Count);
        Assert.Equal(2, (await room.React(author, sent.Seq, "👍", add: true)).Count);

        // Again is nothing: no change recorded, the count stays.
        var again = await room.React(author, sent.Seq, "👍", add: true);
        Assert.Equal((0L, 2), (again.Seq, again.Count));

        await room.React(author, sent.Seq, "👩‍💻", add: true);
        await room.React(author, sent.Seq, "🇨🇳", add: true);
        Assert.Equal(ChatErrorCode.QuotaExceeded, (await Assert.ThrowsAsync<ChatException>(() => room.React(owner, sent.Seq, "🎉", add: true))).Code);
        foreach (var notOne in (string[])["ab", "👍👍", "<b>", " "])
        {
            Assert.Equal(ChatErrorCode.BadRequest, (await Assert.ThrowsAsync<ChatException>(() => room.React(owner, sent.Seq, notOne, add: true))).Code);
        }

        Assert.Equal(1, (await room.React(author, sent.Seq, "👍", add: false)).Count);
        var seen = Assert.Single((await room.History(owner, null, 10)).Messages).Reactions!;
        Assert.Equal([new ReactionCount("👍", 1, true), new ReactionCount("👩‍💻", 1, false), new ReactionCount("🇨🇳", 1, false)], seen);
    }

    [Fact]
    public async Task Replies_name_a_message_of_the_room_and_mentions_name_members_only()
    {
        var (room, owner, author) = await RoomAsync("reply");
        var first = await room.Post(author, new MessageDraft("question?", null));
        var answer = await room.Post(owner, new MessageDraft("answer", null, ReplyTo: first.Seq, Mentions: [author, "nobody-here", author]));
        Assert.Equal(ChatErrorCode.NotFound, (await Assert.ThrowsAsync<ChatException>(() => room.Post(owner, new MessageDraft("to what?", null, ReplyTo: 999)))).Code);
        Assert.Equal(ChatErrorCode.BadRequest, (await Assert.ThrowsAsync<ChatException>(() =>
            room.Post(owner, new MessageDraft("all", null, Mentions: ["a1", "a2", "a3", "a4"])))).Code);

        var stored = (await room.History(author, null, 10)).Messages.Single(m => m.Seq == answer.Seq);
        Assert.Equal(first.Seq, stored.ReplyTo);
        Assert.Equal([author], stored.Mentions!);

        // The mention is unread for the author until they read past it.
        var membership = (await fixture.Client.GetGrain<IUserGrain>(author).Rooms()).Single(r => r.Room == room.GetPrimaryKeyString());
        Assert.Equal((1, 1), (membership.Mentions, membership.Unread));
        await room.Read(author, answer.Seq);
        Assert.Equal(0, (await fixture.Client.GetGrain<IUserGrain>(author).Rooms()).Single(r => r.Room == room.GetPrimaryKeyString()).Mentions);
    }

    [Fact]
    public async Task A_resumed_log_applied_in_order_ends_in_the_state_history_shows()
    {
        var (room, owner, author) = await RoomAsync("replay");
        var since = (await room.Post(author, new MessageDraft("before", null))).Seq;
        var a = await room.Post(author, new MessageDraft("a", null));
        var b = await room.Post(owner, new MessageDraft("b", null));
        await room.React(owner, a.Seq, "👍", true);
        await room.Edit(author, a.Seq, "a, edited");
        await room.React(author, a.Seq, "👍", true);
        await room.Delete(owner, b.Seq);
        await room.React(owner, a.Seq, "👍", false);
        await room.Post(author, new MessageDraft("c", null));

        // A client that saw `since` and replays the rest builds exactly the messages history shows.
        var state = new Dictionary<long, (string Text, bool Deleted, Dictionary<string, int> Reactions)>();
        foreach (var entry in (await room.ReadLog(since, 200)).Entries)
        {
            switch (entry)
            {
                case MessagePosted posted:
                    state[posted.Message.Seq] = (posted.Message.Text, posted.Message.Deleted, []);
                    break;
                case MessageEdited edited:
                    state[edited.Target] = state[edited.Target] with { Text = edited.Text };
                    break;
                case MessageDeleted deleted:
                    state[deleted.Target] = (string.Empty, true, []);
                    break;
                case ReactionChanged reaction:
                    state[reaction.Target].Reactions[reaction.Emoji] = reaction.Count;
                    break;
            }
        }

        var history = (await room.History(owner, since + 1 + 100, 100)).Messages.Where(m => m.Seq > since).ToList();
        Assert.Equal(history.Select(m => m.Seq), state.Keys.Order());
        foreach (var message in history)
        {
            var (text, deleted, reactions) = state[message.Seq];
            Assert.Equal((message.Text, message.Deleted), (text, deleted));
            Assert.Equal(message.Reactions?.ToDictionary(r => r.Emoji, r => r.Count) ?? [], reactions.Where(r => r.Value > 0).ToDictionary());
        }
    }

    private async Task<(IRoomGrain Room, string Owner, string Author)> RoomAsync(string name)
    {
        var room = fixture.Client.GetGrain<IRoomGrain>($"{name}-{_run}");
        var (owner, author) = ($"owner{_run}", $"author{_run}");
        await room.Join(owner);
        await room.Join(author);
        return (room, owner, author);
    }

    /// <summary>Every row of every table of the store that holds <paramref name="text"/> anywhere.</summary>
    private List<string> RowsContaining(string text)
    {
        using var connection = new SqliteConnection($"Data Source={fixture.Database}");
        connection.Open();
        var found = new List<string>();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            using var rows = connection.CreateCommand();
            rows.CommandText = $"SELECT * FROM \"{table}\"";
            using var reader = rows.ExecuteReader();
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (!reader.IsDBNull(i) && reader.GetValue(i) is string value && value.Contains(text, StringComparison.Ordinal))
                    {
                        found.Add($"{table}: {value}");
                    }
                }
            }
        }

        return found;
    }
}
