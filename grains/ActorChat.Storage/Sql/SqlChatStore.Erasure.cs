using ActorChat.Contracts;

namespace ActorChat.Storage.Sql;

internal sealed partial class SqlChatStore
{
    public Task<IReadOnlyList<string>> EraseUserAsync(string user) => writes.WriteAsync<IReadOnlyList<string>>(async (db, tx) =>
    {
        (string, object?)[] who = [("@user", user)];
        var rooms = await Db.ListAsync(db, tx,
            """
            SELECT room FROM messages WHERE sender = @user
            UNION SELECT room FROM members WHERE user_id = @user
            UNION SELECT room FROM reactions WHERE user_id = @user
            UNION SELECT room FROM invitations WHERE user_id = @user
            UNION SELECT room FROM bans WHERE user_id = @user
            UNION SELECT room FROM changes WHERE by_user = @user OR subject = @user
            """,
            r => r.GetString(0), who);

        // A direct conversation is named after its two participants: it goes whole, for both of them.
        foreach (var direct in rooms.Where(r => ChatIds.TryParseDirect(r, out var a, out var b) && (a == user || b == user)))
        {
            foreach (var table in (string[])["messages", "changes", "reactions", "reaction_counts", "mentions", "members", "invitations", "bans", "rooms"])
            {
                await Db.ExecuteAsync(db, tx, $"DELETE FROM {table} WHERE room = @room", ("@room", direct));
            }
        }

        // Reactions go, with what they counted.
        var reactions = await Db.ListAsync(db, tx, "SELECT room, seq, emoji FROM reactions WHERE user_id = @user",
            r => (Room: r.GetString(0), Seq: r.GetInt64(1), Emoji: r.GetString(2)), who);
        foreach (var (room, seq, emoji) in reactions)
        {
            await Db.ExecuteAsync(db, tx, "UPDATE reaction_counts SET count = count - 1 WHERE room = @room AND seq = @seq AND emoji = @emoji",
                ("@room", room), ("@seq", seq), ("@emoji", emoji));
        }

        await Db.ExecuteAsync(db, tx, "DELETE FROM reaction_counts WHERE count <= 0");
        await Db.ExecuteAsync(db, tx, "DELETE FROM reactions WHERE user_id = @user", who);

        // Their messages become anonymous tombstones (text, edits, mentions, client ids and reactions gone): a
        // statement per table for all of them, each through an index, where a statement per message held every other
        // write of the node for as long as thousands of them took.
        foreach (var statement in (string[])[
            "DELETE FROM reactions WHERE (room, seq) IN (SELECT room, seq FROM messages WHERE sender = @user)",
            "DELETE FROM reaction_counts WHERE (room, seq) IN (SELECT room, seq FROM messages WHERE sender = @user)",
            "DELETE FROM mentions WHERE (room, seq) IN (SELECT room, seq FROM messages WHERE sender = @user)",
            "UPDATE changes SET text = NULL WHERE (room, target) IN (SELECT room, seq FROM messages WHERE sender = @user)"])
        {
            await Db.ExecuteAsync(db, tx, statement, who);
        }

        await Db.ExecuteAsync(db, tx,
            "UPDATE messages SET sender = '', text = '', deleted = @yes, edited_at = NULL, mentions = NULL, client_msg_id = NULL WHERE sender = @user",
            [.. who, ("@yes", true)]);

        // Memberships (with their counts), invitations, bans, mentions of them, their record; changes keep no name.
        var memberships = await Db.ListAsync(db, tx, "SELECT room FROM members WHERE user_id = @user", r => r.GetString(0), who);
        foreach (var room in memberships)
        {
            await Db.ExecuteAsync(db, tx, "UPDATE rooms SET member_count = member_count - 1 WHERE room = @room", ("@room", room));
        }

        var invitations = await Db.ListAsync(db, tx, "SELECT room FROM invitations WHERE user_id = @user", r => r.GetString(0), who);
        foreach (var room in invitations)
        {
            await Db.ExecuteAsync(db, tx, "UPDATE rooms SET invited_count = invited_count - 1 WHERE room = @room", ("@room", room));
        }

        // A message that named them keeps the mention of nobody. Every name a message holds has its row in mentions,
        // so these are found there, before those rows go, rather than by reading every message's mentions.
        var naming = await Db.ListAsync(db, tx,
            "SELECT g.room, g.seq, g.mentions FROM mentions n JOIN messages g ON g.room = n.room AND g.seq = n.seq WHERE n.user_id = @user AND g.mentions IS NOT NULL",
            r => (Room: r.GetString(0), Seq: r.GetInt64(1), Mentions: r.GetString(2)), who);
        foreach (var (room, seq, mentions) in naming)
        {
            var kept = string.Join(' ', mentions.Split(' ').Where(m => m != user));
            await Db.ExecuteAsync(db, tx, "UPDATE messages SET mentions = @mentions WHERE room = @room AND seq = @seq",
                ("@room", room), ("@seq", seq), ("@mentions", kept.Length == 0 ? null : kept));
        }

        foreach (var statement in (string[])[
            "DELETE FROM members WHERE user_id = @user",
            "DELETE FROM invitations WHERE user_id = @user",
            "UPDATE invitations SET invited_by = '' WHERE invited_by = @user",
            "DELETE FROM bans WHERE user_id = @user",
            "UPDATE bans SET by_user = '' WHERE by_user = @user",
            "DELETE FROM mentions WHERE user_id = @user",
            "DELETE FROM users WHERE user_id = @user",
            "UPDATE rooms SET created_by = '' WHERE created_by = @user",
            "UPDATE changes SET by_user = '' WHERE by_user = @user",
            "UPDATE changes SET subject = '' WHERE subject = @user"])
        {
            await Db.ExecuteAsync(db, tx, statement, who);
        }

        return rooms;
    });
}
