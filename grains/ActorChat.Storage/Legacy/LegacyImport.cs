using System.Data.Common;
using ActorChat.Contracts;
using ActorChat.Storage.Sql;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;

namespace ActorChat.Storage.Legacy;

/// <summary>
/// Carries a blob-per-grain data directory (one Orleans-serialized state per grain in <c>grain_state</c>) into the
/// per-record tables, inside the migration's transaction: every room, member, message, read pointer and
/// invitation. The old table is kept, renamed <c>legacy_grain_state</c>, until an operator drops it.
/// </summary>
internal sealed partial class LegacyImport(Serializer serializer, TimeProvider time, ILogger logger)
{
    public async Task ImportAsync(DbConnection db, DbTransaction tx)
    {
        var present = await Db.ScalarAsync(db, tx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'grain_state'");
        if (Convert.ToInt32(present) == 0)
        {
            return;
        }

        var rows = await Db.ListAsync(db, tx, "SELECT state_name, grain_id, payload FROM grain_state",
            r => (State: r.GetString(0), Grain: r.GetString(1), Payload: (byte[])r.GetValue(2)));
        var memberships = new Dictionary<string, LegacyRoomMembership>(StringComparer.Ordinal);
        var logs = new Dictionary<string, LegacyRoomLog>(StringComparer.Ordinal);
        var chunks = new List<(string Room, LegacyRoomChunk Chunk)>();
        var users = new Dictionary<string, LegacyUserState>(StringComparer.Ordinal);
        foreach (var (state, grain, payload) in rows)
        {
            var key = grain[(grain.IndexOf('/', StringComparison.Ordinal) + 1)..];
            switch (state)
            {
                case "members":
                    memberships[key] = serializer.Deserialize<LegacyRoomMembership>(payload) ?? new LegacyRoomMembership();
                    break;
                case "log":
                    logs[key] = serializer.Deserialize<LegacyRoomLog>(payload) ?? new LegacyRoomLog();
                    break;
                case "chunk":
                    chunks.Add((key[..key.LastIndexOf('/')], serializer.Deserialize<LegacyRoomChunk>(payload) ?? new LegacyRoomChunk()));
                    break;
                case "user":
                    users[key] = serializer.Deserialize<LegacyUserState>(payload) ?? new LegacyUserState();
                    break;
                default:
                    // The directory is derived from the rooms now; stream subscriptions are rebuilt by the front ends.
                    break;
            }
        }

        var messages = 0;
        foreach (var room in memberships.Keys.Union(logs.Keys).Order(StringComparer.Ordinal))
        {
            var membership = memberships.GetValueOrDefault(room) ?? new LegacyRoomMembership();
            var log = logs.GetValueOrDefault(room) ?? new LegacyRoomLog();
            var stored = chunks.Where(c => c.Room == room).SelectMany(c => c.Chunk.Messages).Concat(log.Open).OrderBy(m => m.Seq).ToList();
            var createdAt = stored.Count > 0 ? stored[0].Ts : time.GetUtcNow();
            await ImportRoomAsync(db, tx, room, membership, log, createdAt);
            await InsertMessagesAsync(db, tx, room, stored);
            messages += stored.Count;
        }

        foreach (var (user, state) in users)
        {
            await ImportUserAsync(db, tx, user, state);
        }

        // Membership counts for the quotas, from the rooms (the authority on who belongs), direct conversations aside.
        await Db.ExecuteAsync(db, tx,
            "INSERT INTO users (user_id, memberships) SELECT user_id, COUNT(*) FROM members WHERE room NOT LIKE 'dm:%' GROUP BY user_id");
        await Db.ExecuteAsync(db, tx, "ALTER TABLE grain_state RENAME TO legacy_grain_state");
        LogImported(logger, memberships.Count, users.Count, messages);
    }

    private static async Task ImportRoomAsync(DbConnection db, DbTransaction tx, string room, LegacyRoomMembership membership, LegacyRoomLog log, DateTimeOffset createdAt)
    {
        var direct = ChatIds.IsDirect(room);
        await Db.ExecuteAsync(db, tx,
            """
            INSERT INTO rooms (room, created_at, created_by, is_private, is_direct, member_count, invited_count, last_seq)
            VALUES (@room, @at, '', @private, @direct, @members, @invited, @last)
            """,
            ("@room", room), ("@at", Db.Ticks(createdAt)), ("@private", membership.IsPrivate && !direct), ("@direct", direct),
            ("@members", membership.Members.Count), ("@invited", membership.Invited.Count(u => !membership.Members.Contains(u))), ("@last", log.LastSeq));
        foreach (var member in membership.Members)
        {
            await Db.ExecuteAsync(db, tx, "INSERT INTO members (room, user_id, joined_at) VALUES (@room, @user, @at)",
                ("@room", room), ("@user", member), ("@at", Db.Ticks(createdAt)));
        }

        // Admissions without a notice until the user's own state says they were told.
        foreach (var invited in membership.Invited.Where(u => !membership.Members.Contains(u)))
        {
            await Db.ExecuteAsync(db, tx,
                "INSERT INTO invitations (room, user_id, invited_by, at, noticed) VALUES (@room, @user, '', @at, @noticed)",
                ("@room", room), ("@user", invited), ("@at", Db.Ticks(createdAt)), ("@noticed", false));
        }
    }

    private static async Task InsertMessagesAsync(DbConnection db, DbTransaction tx, string room, List<ChatMessage> messages)
    {
        foreach (var message in messages)
        {
            await Db.ExecuteAsync(db, tx,
                "INSERT INTO messages (room, seq, sender, text, ts, client_msg_id) VALUES (@room, @seq, @from, @text, @ts, @client) ON CONFLICT DO NOTHING",
                ("@room", room), ("@seq", message.Seq), ("@from", message.From), ("@text", message.Text), ("@ts", Db.Ticks(message.Ts)), ("@client", message.ClientMsgId));
        }
    }

    private static async Task ImportUserAsync(DbConnection db, DbTransaction tx, string user, LegacyUserState state)
    {
        foreach (var (room, lastRead) in state.Rooms)
        {
            await Db.ExecuteAsync(db, tx, "UPDATE members SET last_read = @read WHERE room = @room AND user_id = @user",
                ("@room", room), ("@user", user), ("@read", lastRead));
        }

        foreach (var invitation in state.Invitations)
        {
            await Db.ExecuteAsync(db, tx,
                "UPDATE invitations SET invited_by = @by, at = @at, noticed = @noticed WHERE room = @room AND user_id = @user",
                ("@room", invitation.Room), ("@user", user), ("@by", invitation.By), ("@at", Db.Ticks(invitation.At)), ("@noticed", true));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Imported the blob-per-grain data of an earlier release: {Rooms} rooms, {Users} users, {Messages} messages (the old table is kept as legacy_grain_state)")]
    private static partial void LogImported(ILogger logger, int rooms, int users, int messages);
}
