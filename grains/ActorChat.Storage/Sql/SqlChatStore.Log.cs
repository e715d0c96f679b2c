using System.Data.Common;
using System.Globalization;
using System.Text;
using ActorChat.Contracts;

namespace ActorChat.Storage.Sql;

internal sealed partial class SqlChatStore
{
    // Rows per INSERT statement: a few round trips for a large batch, and well under any parameter limit.
    private const int RowsPerInsert = 64;

    // Unread counts stop here: a badge says "999+", and counting costs the same in a room read long ago.
    private const int UnreadCap = 1000;

    private const string MessageColumns = "seq, sender, text, ts, client_msg_id, edited_at, deleted, reply_to, mentions, sender_kind";

    public Task AppendAsync(string room, IReadOnlyList<RoomEvent> entries)
    {
        if (entries.Count == 0)
        {
            return Task.CompletedTask;
        }

        return writes.WriteAsync(async (db, tx) =>
        {
            // Messages go in batches of rows; a change is applied where it falls, so the log's order holds.
            var messages = new List<ChatMessage>();
            foreach (var entry in entries)
            {
                if (entry is MessagePosted posted)
                {
                    messages.Add(posted.Message);
                    continue;
                }

                await InsertMessagesAsync(db, tx, room, messages);
                messages.Clear();
                var change = (RoomChange)entry;
                await ApplyAsync(db, tx, change);
                await TellAsync(db, tx, new LogTrigger(room, change), change switch
                {
                    MessageEdited edited => edited.EditedAt,
                    MessageDeleted deleted => deleted.At,
                    ReactionChanged reaction => reaction.At,
                    MemberModerated moderated => moderated.At,
                    SettingsChanged settings => settings.At,
                    _ => DateTimeOffset.UtcNow,
                });
            }

            await InsertMessagesAsync(db, tx, room, messages);
            return true;
        });
    }

    public async Task<IReadOnlyList<ChatMessage>> ReadAsync(string room, long from, long to)
    {
        if (from > to)
        {
            return [];
        }

        await using var read = await openRead();
        var connection = read.Connection;
        return await Db.ListAsync(connection, null,
            $"SELECT {MessageColumns} FROM messages WHERE room = @room AND seq >= @from AND seq <= @to ORDER BY seq",
            r => ReadMessage(room, r), ("@room", room), ("@from", from), ("@to", to));
    }

    public async Task<IReadOnlyList<RoomEvent>> ReadLogAsync(string room, long from, long to)
    {
        if (from > to)
        {
            return [];
        }

        await using var read = await openRead();
        var connection = read.Connection;
        var messages = await Db.ListAsync(connection, null,
            $"SELECT {MessageColumns} FROM messages WHERE room = @room AND seq >= @from AND seq <= @to ORDER BY seq",
            r => (RoomEvent)new MessagePosted(ReadMessage(room, r)), ("@room", room), ("@from", from), ("@to", to));
        var changes = await ReadChangesAsync(connection, room, from, to);
        return changes.Count == 0 ? messages : [.. messages.Concat(changes).OrderBy(e => e.Position)];
    }

    public async Task<IReadOnlyList<ChatMessage>> HistoryAsync(string room, long before, int limit, string viewer)
    {
        await using var read = await openRead();
        var connection = read.Connection;
        var page = await Db.ListAsync(connection, null,
            $"SELECT {MessageColumns} FROM messages WHERE room = @room AND seq < @before ORDER BY seq DESC LIMIT @limit",
            r => ReadMessage(room, r), ("@room", room), ("@before", before), ("@limit", limit));
        page.Reverse();
        if (page.Count == 0)
        {
            return page;
        }

        // Reactions of the page: counts per emoji (bounded per message), and the viewer's own.
        var (low, high) = (page[0].Seq, page[^1].Seq);
        var counts = await Db.ListAsync(connection, null,
            "SELECT seq, emoji, count FROM reaction_counts WHERE room = @room AND seq >= @low AND seq <= @high ORDER BY seq, first_seq",
            r => (Seq: r.GetInt64(0), Emoji: r.GetString(1), Count: r.GetInt32(2)), ("@room", room), ("@low", low), ("@high", high));
        if (counts.Count == 0)
        {
            return page;
        }

        var mine = (await Db.ListAsync(connection, null,
            "SELECT seq, emoji FROM reactions WHERE user_id = @user AND room = @room AND seq >= @low AND seq <= @high",
            r => (r.GetInt64(0), r.GetString(1)), ("@user", viewer), ("@room", room), ("@low", low), ("@high", high))).ToHashSet();
        var bySeq = counts.GroupBy(c => c.Seq).ToDictionary(g => g.Key, g => (IReadOnlyList<ReactionCount>)[.. g.Select(c => new ReactionCount(c.Emoji, c.Count, mine.Contains((c.Seq, c.Emoji))))]);
        return [.. page.Select(m => bySeq.TryGetValue(m.Seq, out var reactions) ? m with { Reactions = reactions } : m)];
    }

    public async Task<ChatMessage?> MessageAsync(string room, long seq)
    {
        var messages = await ReadAsync(room, seq, seq);
        return messages.Count == 0 ? null : messages[0];
    }

    public async Task<LogBounds> BoundsAsync(string room)
    {
        await using var read = await openRead();
        var connection = read.Connection;
        var rows = await Db.ListAsync(connection, null,
            """
            SELECT (SELECT MIN(seq) FROM messages WHERE room = @room),
                   (SELECT MAX(seq) FROM messages WHERE room = @room),
                   (SELECT MIN(seq) FROM changes WHERE room = @room),
                   (SELECT MAX(seq) FROM changes WHERE room = @room),
                   (SELECT last_seq FROM rooms WHERE room = @room)
            """,
            r => (MinMessage: Nullable(r, 0), MaxMessage: Nullable(r, 1), MinChange: Nullable(r, 2), MaxChange: Nullable(r, 3), Kept: Nullable(r, 4) ?? 0),
            ("@room", room));
        var row = rows[0];
        var last = Math.Max(Math.Max(row.MaxMessage ?? 0, row.MaxChange ?? 0), row.Kept);
        var first = (row.MinMessage, row.MinChange) switch
        {
            (null, null) => last + 1,
            (null, { } change) => change,
            ({ } message, null) => message,
            ({ } message, { } change) => Math.Min(message, change),
        };
        return new LogBounds(first, last);

        static long? Nullable(DbDataReader r, int column) => r.IsDBNull(column) ? null : r.GetInt64(column);
    }

    public async Task<IReadOnlyList<ClientMessageId>> RecentClientIdsAsync(string room, long afterSeq)
    {
        await using var read = await openRead();
        var connection = read.Connection;
        return await Db.ListAsync(connection, null,
            "SELECT sender, client_msg_id, seq, ts, sender_kind FROM messages WHERE room = @room AND seq > @after AND client_msg_id IS NOT NULL ORDER BY seq",
            r => new ClientMessageId(SenderKey(r.GetString(0), (SenderKind)r.GetInt32(4)), r.GetString(1), r.GetInt64(2), Db.Time(r.GetInt64(3))),
            ("@room", room), ("@after", afterSeq));
    }

    public async Task<IReadOnlyList<(long Seq, DateTimeOffset Ts)>> OldestAsync(string room, int limit)
    {
        await using var read = await openRead();
        var connection = read.Connection;
        return await Db.ListAsync(connection, null, "SELECT seq, ts FROM messages WHERE room = @room ORDER BY seq LIMIT @limit",
            r => (r.GetInt64(0), Db.Time(r.GetInt64(1))), ("@room", room), ("@limit", limit));
    }

    public Task<int> TrimAsync(string room, long upTo) => writes.WriteAsync(async (db, tx) =>
    {
        // The room keeps its last seq even when every message goes, so numbering never starts again.
        await Db.ExecuteAsync(db, tx,
            """
            UPDATE rooms SET last_seq = (SELECT MAX(seq) FROM messages WHERE room = @room)
            WHERE room = @room AND last_seq < (SELECT MAX(seq) FROM messages WHERE room = @room)
            """,
            ("@room", room));
        foreach (var table in (string[])["changes", "reactions", "reaction_counts"])
        {
            await Db.ExecuteAsync(db, tx, $"DELETE FROM {table} WHERE room = @room AND seq <= @upTo", ("@room", room), ("@upTo", upTo));
        }

        await Db.ExecuteAsync(db, tx, "DELETE FROM mentions WHERE room = @room AND seq <= @upTo", ("@room", room), ("@upTo", upTo));
        return await Db.ExecuteAsync(db, tx, "DELETE FROM messages WHERE room = @room AND seq <= @upTo", ("@room", room), ("@upTo", upTo));
    });

    /// <summary>Whose client ids a message's are: a user's, or a bot's of that name (kept apart from a user's).</summary>
    private static string SenderKey(string sender, SenderKind kind) => kind == SenderKind.User ? sender : $"{kind}:{sender}";

    private static ChatMessage ReadMessage(string room, DbDataReader r)
    {
        var mentions = r.IsDBNull(8) ? null : r.GetString(8);
        return new ChatMessage(room, r.GetInt64(0), r.GetString(1), r.GetString(2), Db.Time(r.GetInt64(3)), r.IsDBNull(4) ? null : r.GetString(4),
            EditedAt: r.IsDBNull(5) ? null : Db.Time(r.GetInt64(5)),
            Deleted: r.GetBoolean(6),
            ReplyTo: r.IsDBNull(7) ? null : r.GetInt64(7),
            Mentions: string.IsNullOrEmpty(mentions) ? null : mentions.Split(' '),
            Kind: (SenderKind)r.GetInt32(9));
    }

    private async Task InsertMessagesAsync(DbConnection db, DbTransaction tx, string room, List<ChatMessage> messages)
    {
        if (messages.Count == 0)
        {
            return;
        }

        for (var offset = 0; offset < messages.Count; offset += RowsPerInsert)
        {
            await InsertAsync(db, tx, room, messages, offset, Math.Min(RowsPerInsert, messages.Count - offset));
        }

        foreach (var message in messages.Where(m => m.Mentions is { Count: > 0 }))
        {
            foreach (var mentioned in message.Mentions!)
            {
                await Db.ExecuteAsync(db, tx, "INSERT INTO mentions (user_id, room, seq) VALUES (@user, @room, @seq) ON CONFLICT DO NOTHING",
                    ("@user", mentioned), ("@room", room), ("@seq", message.Seq));
            }
        }

        foreach (var message in messages)
        {
            await TellAsync(db, tx, new LogTrigger(room, new MessagePosted(message)), message.Ts);
            await NoteAsync(db, tx, room, message);
        }

        metrics.Appended(messages);
    }

    private static async Task InsertAsync(DbConnection db, DbTransaction tx, string room, List<ChatMessage> messages, int offset, int count)
    {
        var sql = new StringBuilder("INSERT INTO messages (room, seq, sender, text, ts, client_msg_id, reply_to, mentions, sender_kind) VALUES ");
        var parameters = new List<(string, object?)>(1 + (count * 8)) { ("@room", room) };
        for (var i = 0; i < count; i++)
        {
            var message = messages[offset + i];
            sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")}(@room, @s{i}, @f{i}, @t{i}, @ts{i}, @c{i}, @r{i}, @m{i}, @k{i})");
            parameters.Add(($"@s{i}", message.Seq));
            parameters.Add(($"@f{i}", message.From));
            parameters.Add(($"@t{i}", message.Text));
            parameters.Add(($"@ts{i}", Db.Ticks(message.Ts)));
            parameters.Add(($"@c{i}", message.ClientMsgId));
            parameters.Add(($"@r{i}", message.ReplyTo));
            parameters.Add(($"@m{i}", message.Mentions is { Count: > 0 } mentions ? string.Join(' ', mentions) : null));
            parameters.Add(($"@k{i}", (int)message.Kind));
        }

        await Db.ExecuteAsync(db, tx, sql.ToString(), [.. parameters]);
    }
}
