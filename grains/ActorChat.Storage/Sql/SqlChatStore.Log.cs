using System.Data.Common;
using System.Globalization;
using System.Text;
using ActorChat.Contracts;

namespace ActorChat.Storage.Sql;

internal sealed partial class SqlChatStore
{
    // Rows per INSERT statement: a few round trips for a large batch, and well under any parameter limit.
    private const int RowsPerInsert = 64;

    public Task AppendAsync(string room, IReadOnlyList<ChatMessage> messages)
    {
        if (messages.Count == 0)
        {
            return Task.CompletedTask;
        }

        return writes.WriteAsync(async (db, tx) =>
        {
            for (var offset = 0; offset < messages.Count; offset += RowsPerInsert)
            {
                await InsertAsync(db, tx, room, messages, offset, Math.Min(RowsPerInsert, messages.Count - offset));
            }

            // What one wrote oneself counts as read: each sender's pointer moves to its newest message, in the same commit.
            foreach (var (sender, seq) in messages.GroupBy(m => m.From, StringComparer.Ordinal).Select(g => (g.Key, g.Max(m => m.Seq))))
            {
                await Db.ExecuteAsync(db, tx, "UPDATE members SET last_read = @seq WHERE room = @room AND user_id = @user AND last_read < @seq",
                    ("@room", room), ("@user", sender), ("@seq", seq));
            }

            metrics.Appended(messages);
            return true;
        });
    }

    public async Task<IReadOnlyList<ChatMessage>> ReadAsync(string room, long from, long to)
    {
        if (from > to)
        {
            return [];
        }

        await using var connection = await openRead(CancellationToken.None);
        return await Db.ListAsync(connection, null,
            "SELECT seq, sender, text, ts, client_msg_id FROM messages WHERE room = @room AND seq >= @from AND seq <= @to ORDER BY seq",
            r => new ChatMessage(room, r.GetInt64(0), r.GetString(1), r.GetString(2), Db.Time(r.GetInt64(3)), r.IsDBNull(4) ? null : r.GetString(4)),
            ("@room", room), ("@from", from), ("@to", to));
    }

    public async Task<LogBounds> BoundsAsync(string room)
    {
        await using var connection = await openRead(CancellationToken.None);
        var rows = await Db.ListAsync(connection, null,
            """
            SELECT (SELECT MIN(seq) FROM messages WHERE room = @room),
                   (SELECT MAX(seq) FROM messages WHERE room = @room),
                   (SELECT last_seq FROM rooms WHERE room = @room)
            """,
            r => (Min: r.IsDBNull(0) ? (long?)null : r.GetInt64(0), Max: r.IsDBNull(1) ? 0 : r.GetInt64(1), Kept: r.IsDBNull(2) ? 0 : r.GetInt64(2)),
            ("@room", room));
        var (min, max, kept) = rows[0];
        var last = Math.Max(max, kept);
        return new LogBounds(min ?? last + 1, last);
    }

    public async Task<IReadOnlyList<ClientMessageId>> RecentClientIdsAsync(string room, long afterSeq)
    {
        await using var connection = await openRead(CancellationToken.None);
        return await Db.ListAsync(connection, null,
            "SELECT sender, client_msg_id, seq, ts FROM messages WHERE room = @room AND seq > @after AND client_msg_id IS NOT NULL ORDER BY seq",
            r => new ClientMessageId(r.GetString(0), r.GetString(1), r.GetInt64(2), Db.Time(r.GetInt64(3))),
            ("@room", room), ("@after", afterSeq));
    }

    public async Task<IReadOnlyList<(long Seq, DateTimeOffset Ts)>> OldestAsync(string room, int limit)
    {
        await using var connection = await openRead(CancellationToken.None);
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
        return await Db.ExecuteAsync(db, tx, "DELETE FROM messages WHERE room = @room AND seq <= @upTo", ("@room", room), ("@upTo", upTo));
    });

    private static async Task InsertAsync(DbConnection db, DbTransaction tx, string room, IReadOnlyList<ChatMessage> messages, int offset, int count)
    {
        var sql = new StringBuilder("INSERT INTO messages (room, seq, sender, text, ts, client_msg_id) VALUES ");
        var parameters = new List<(string, object?)>(1 + (count * 5)) { ("@room", room) };
        for (var i = 0; i < count; i++)
        {
            var message = messages[offset + i];
            sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : ",")}(@room, @s{i}, @f{i}, @t{i}, @ts{i}, @c{i})");
            parameters.Add(($"@s{i}", message.Seq));
            parameters.Add(($"@f{i}", message.From));
            parameters.Add(($"@t{i}", message.Text));
            parameters.Add(($"@ts{i}", Db.Ticks(message.Ts)));
            parameters.Add(($"@c{i}", message.ClientMsgId));
        }

        await Db.ExecuteAsync(db, tx, sql.ToString(), [.. parameters]);
    }
}
