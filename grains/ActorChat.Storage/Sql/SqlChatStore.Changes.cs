using System.Data.Common;
using ActorChat.Contracts;

namespace ActorChat.Storage.Sql;

/// <summary>
/// Changes to messages, members and the room: each is a row in <c>changes</c> (so it replays in the log's order)
/// and is applied, in the same commit, to the rows it changes. The room grain checked the rights and numbered it.
/// </summary>
internal sealed partial class SqlChatStore
{
    private enum ChangeKind
    {
        Edited = 1,
        Deleted = 2,
        Reaction = 3,
        Moderation = 4,
        Settings = 5,
    }

    public async Task<MemberState?> MemberStateAsync(string room, string user)
    {
        await using var read = await openRead();
        var connection = read.Connection;
        var rows = await Db.ListAsync(connection, null,
            """
            SELECT m.role, m.muted_until,
                   (SELECT ts FROM messages g WHERE g.sender = @user AND g.room = @room ORDER BY g.seq DESC LIMIT 1)
            FROM members m WHERE m.room = @room AND m.user_id = @user
            """,
            r => new MemberState((RoomRole)r.GetInt32(0), r.IsDBNull(1) ? null : Db.Time(r.GetInt64(1)), r.IsDBNull(2) ? null : Db.Time(r.GetInt64(2))),
            ("@room", room), ("@user", user));
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<ReactionCount>> ReactionsAsync(string room, long seq, string user)
    {
        await using var read = await openRead();
        var connection = read.Connection;
        return await Db.ListAsync(connection, null,
            """
            SELECT c.emoji, c.count, EXISTS (SELECT 1 FROM reactions r WHERE r.room = c.room AND r.seq = c.seq AND r.emoji = c.emoji AND r.user_id = @user)
            FROM reaction_counts c WHERE c.room = @room AND c.seq = @seq ORDER BY c.first_seq
            """,
            r => new ReactionCount(r.GetString(0), r.GetInt32(1), r.GetBoolean(2)), ("@room", room), ("@seq", seq), ("@user", user));
    }

    public async Task<int> CountRoleAsync(string room, RoomRole role)
    {
        await using var read = await openRead();
        var connection = read.Connection;
        return Convert.ToInt32(await Db.ScalarAsync(connection, null,
            "SELECT COUNT(*) FROM members WHERE room = @room AND role = @role AND role > 0", ("@room", room), ("@role", (int)role)));
    }

    public async Task<Ban?> BanAsync(string room, string user)
    {
        await using var read = await openRead();
        var connection = read.Connection;
        var rows = await Db.ListAsync(connection, null, "SELECT until, by_user FROM bans WHERE room = @room AND user_id = @user",
            r => new Ban(r.IsDBNull(0) ? null : Db.Time(r.GetInt64(0)), r.GetString(1)), ("@room", room), ("@user", user));
        return rows.Count == 0 ? null : rows[0];
    }

    private static async Task ApplyAsync(DbConnection db, DbTransaction tx, RoomChange change)
    {
        var room = change.Room;
        switch (change)
        {
            case MessageEdited edited:
                await Db.ExecuteAsync(db, tx, "UPDATE messages SET text = @text, edited_at = @at WHERE room = @room AND seq = @target AND deleted = @no",
                    ("@room", room), ("@target", edited.Target), ("@text", edited.Text), ("@at", Db.Ticks(edited.EditedAt)), ("@no", false));
                await RecordAsync(db, tx, change, ChangeKind.Edited, edited.Target, edited.EditedAt, ("text", edited.Text));
                break;
            case MessageDeleted deleted:
                // Gone from storage, not hidden: the text, the text of its edits, its mentions and its reactions.
                await Db.ExecuteAsync(db, tx,
                    "UPDATE messages SET text = '', deleted = @yes, edited_at = NULL, mentions = NULL WHERE room = @room AND seq = @target",
                    ("@room", room), ("@target", deleted.Target), ("@yes", true));
                await Db.ExecuteAsync(db, tx, "UPDATE changes SET text = NULL WHERE room = @room AND target = @target AND kind = @kind",
                    ("@room", room), ("@target", deleted.Target), ("@kind", (int)ChangeKind.Edited));
                foreach (var table in (string[])["reactions", "reaction_counts"])
                {
                    await Db.ExecuteAsync(db, tx, $"DELETE FROM {table} WHERE room = @room AND seq = @target", ("@room", room), ("@target", deleted.Target));
                }

                await Db.ExecuteAsync(db, tx, "DELETE FROM mentions WHERE room = @room AND seq = @target", ("@room", room), ("@target", deleted.Target));
                await RecordAsync(db, tx, change, ChangeKind.Deleted, deleted.Target, deleted.At);
                break;
            case ReactionChanged reaction:
                await ApplyReactionAsync(db, tx, reaction);
                await RecordAsync(db, tx, change, ChangeKind.Reaction, reaction.Target, reaction.At,
                    ("emoji", reaction.Emoji), ("subject", reaction.User), ("added", reaction.Added), ("count", reaction.Count));
                break;
            case MemberModerated moderated:
                await ApplyModerationAsync(db, tx, moderated);
                await RecordAsync(db, tx, change, ChangeKind.Moderation, 0, moderated.At,
                    ("subject", moderated.User), ("action", (int)moderated.Action), ("until", moderated.Until is { } until ? Db.Ticks(until) : null),
                    ("role", moderated.Role is { } role ? (int)role : null));
                break;
            case SettingsChanged settings:
                await Db.ExecuteAsync(db, tx, "UPDATE rooms SET topic = @topic, slow_mode = @slow WHERE room = @room",
                    ("@room", room), ("@topic", settings.Topic), ("@slow", settings.SlowModeSeconds));
                await RecordAsync(db, tx, change, ChangeKind.Settings, 0, settings.At, ("topic", settings.Topic), ("slow_mode", settings.SlowModeSeconds));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change.GetType().Name, "Not a change the store knows.");
        }
    }

    private static async Task ApplyReactionAsync(DbConnection db, DbTransaction tx, ReactionChanged reaction)
    {
        (string, object?)[] key = [("@room", reaction.Room), ("@seq", reaction.Target), ("@emoji", reaction.Emoji), ("@user", reaction.User)];
        if (reaction.Added)
        {
            if (await Db.ExecuteAsync(db, tx, "INSERT INTO reactions (room, seq, emoji, user_id, at) VALUES (@room, @seq, @emoji, @user, @at) ON CONFLICT DO NOTHING",
                [.. key, ("@at", Db.Ticks(reaction.At))]) == 1)
            {
                await Db.ExecuteAsync(db, tx,
                    """
                    INSERT INTO reaction_counts (room, seq, emoji, count, first_seq) VALUES (@room, @seq, @emoji, 1, @first)
                    ON CONFLICT (room, seq, emoji) DO UPDATE SET count = reaction_counts.count + 1
                    """,
                    ("@room", reaction.Room), ("@seq", reaction.Target), ("@emoji", reaction.Emoji), ("@first", reaction.Seq));
            }
        }
        else if (await Db.ExecuteAsync(db, tx, "DELETE FROM reactions WHERE room = @room AND seq = @seq AND emoji = @emoji AND user_id = @user", key) == 1)
        {
            await Db.ExecuteAsync(db, tx, "UPDATE reaction_counts SET count = count - 1 WHERE room = @room AND seq = @seq AND emoji = @emoji",
                ("@room", reaction.Room), ("@seq", reaction.Target), ("@emoji", reaction.Emoji));
            await Db.ExecuteAsync(db, tx, "DELETE FROM reaction_counts WHERE room = @room AND seq = @seq AND emoji = @emoji AND count <= 0",
                ("@room", reaction.Room), ("@seq", reaction.Target), ("@emoji", reaction.Emoji));
        }
    }

    private static async Task ApplyModerationAsync(DbConnection db, DbTransaction tx, MemberModerated moderated)
    {
        (string, object?)[] key = [("@room", moderated.Room), ("@user", moderated.User)];
        switch (moderated.Action)
        {
            case ModerationAction.Role:
                await Db.ExecuteAsync(db, tx, "UPDATE members SET role = @role WHERE room = @room AND user_id = @user", [.. key, ("@role", (int)moderated.Role!.Value)]);
                break;
            case ModerationAction.Kick:
            case ModerationAction.Ban:
                if (await Db.ExecuteAsync(db, tx, "DELETE FROM members WHERE room = @room AND user_id = @user", key) == 1)
                {
                    await Db.ExecuteAsync(db, tx, "UPDATE rooms SET member_count = member_count - 1 WHERE room = @room", ("@room", moderated.Room));
                    await Db.ExecuteAsync(db, tx, "UPDATE users SET memberships = memberships - 1 WHERE user_id = @user AND memberships > 0", ("@user", moderated.User));
                }

                if (moderated.Action == ModerationAction.Ban)
                {
                    await Db.ExecuteAsync(db, tx,
                        """
                        INSERT INTO bans (room, user_id, until, by_user, at) VALUES (@room, @user, @until, @by, @at)
                        ON CONFLICT (room, user_id) DO UPDATE SET until = excluded.until, by_user = excluded.by_user, at = excluded.at
                        """,
                        [.. key, ("@until", moderated.Until is { } until ? Db.Ticks(until) : null), ("@by", moderated.Moderator), ("@at", Db.Ticks(moderated.At))]);
                }

                break;
            case ModerationAction.Unban:
                await Db.ExecuteAsync(db, tx, "DELETE FROM bans WHERE room = @room AND user_id = @user", key);
                break;
            case ModerationAction.Mute:
                // Muted for good is muted until the end of time.
                await Db.ExecuteAsync(db, tx, "UPDATE members SET muted_until = @until WHERE room = @room AND user_id = @user",
                    [.. key, ("@until", Db.Ticks(moderated.Until ?? DateTimeOffset.MaxValue))]);
                break;
            case ModerationAction.Unmute:
                await Db.ExecuteAsync(db, tx, "UPDATE members SET muted_until = NULL WHERE room = @room AND user_id = @user", key);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(moderated), moderated.Action, "Not a moderation action.");
        }
    }

    private static Task<int> RecordAsync(DbConnection db, DbTransaction tx, RoomChange change, ChangeKind kind, long target, DateTimeOffset at, params (string Column, object? Value)[] values)
    {
        var columns = string.Concat(values.Select(v => $", {v.Column}"));
        var names = string.Concat(values.Select(v => $", @{v.Column}"));
        return Db.ExecuteAsync(db, tx,
            $"INSERT INTO changes (room, seq, kind, target, by_user, at{columns}) VALUES (@room, @seq, @kind, @target, @by, @at{names})",
            [("@room", change.Room), ("@seq", change.Seq), ("@kind", (int)kind), ("@target", target), ("@by", change.By), ("@at", Db.Ticks(at)),
             .. values.Select(v => ($"@{v.Column}", v.Value))]);
    }

    private static Task<List<RoomEvent>> ReadChangesAsync(DbConnection connection, string room, long from, long to) =>
        Db.ListAsync(connection, null,
            """
            SELECT seq, kind, target, by_user, at, text, emoji, subject, added, count, action, until, role, topic, slow_mode
            FROM changes WHERE room = @room AND seq >= @from AND seq <= @to ORDER BY seq
            """,
            r => ReadChange(room, r), ("@room", room), ("@from", from), ("@to", to));

    private static RoomEvent ReadChange(string room, DbDataReader r)
    {
        var (seq, target, by, at) = (r.GetInt64(0), r.GetInt64(2), r.GetString(3), Db.Time(r.GetInt64(4)));
        return (ChangeKind)r.GetInt32(1) switch
        {
            ChangeKind.Edited => new MessageEdited(room, seq, target, r.IsDBNull(5) ? string.Empty : r.GetString(5), at, by),
            ChangeKind.Deleted => new MessageDeleted(room, seq, target, by, at),
            ChangeKind.Reaction => new ReactionChanged(room, seq, target, r.GetString(6), r.GetString(7), r.GetBoolean(8), r.GetInt32(9), at),
            ChangeKind.Moderation => new MemberModerated(room, seq, r.GetString(7), (ModerationAction)r.GetInt32(10), by, at,
                r.IsDBNull(11) ? null : Db.Time(r.GetInt64(11)), r.IsDBNull(12) ? null : (RoomRole)r.GetInt32(12)),
            _ => new SettingsChanged(room, seq, r.IsDBNull(13) ? null : r.GetString(13), r.IsDBNull(14) ? 0 : r.GetInt32(14), by, at),
        };
    }
}
