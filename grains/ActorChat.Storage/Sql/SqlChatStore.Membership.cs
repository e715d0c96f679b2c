using System.Data.Common;
using ActorChat.Contracts;

namespace ActorChat.Storage.Sql;

internal sealed partial class SqlChatStore
{
    // A member's read pointer (members row m, the member bound to @user): what one wrote oneself counts as read, so it
    // is the later of the marked pointer and the member's own newest message. The second is one step back in the
    // sender index a send writes anyway, so a send leaves the member's row alone. The condition names only that
    // index's columns: a condition on any other (the sender's kind, say) made SQLite walk the room's messages instead.
    private const string ReadPointer = """
        COALESCE((SELECT CASE WHEN s.seq > m.last_read THEN s.seq END FROM messages s
                  WHERE s.sender = @user AND s.room = m.room ORDER BY s.seq DESC LIMIT 1), m.last_read)
        """;

    public Task<JoinOutcome> JoinAsync(JoinCommand command) => writes.WriteAsync((db, tx) => JoinAsync(db, tx, command));

    public Task<bool> LeaveAsync(string room, string user, bool direct) => writes.WriteAsync(async (db, tx) =>
    {
        if (await Db.ExecuteAsync(db, tx, "DELETE FROM members WHERE room = @room AND user_id = @user", ("@room", room), ("@user", user)) == 0)
        {
            return false;
        }

        await Db.ExecuteAsync(db, tx, "UPDATE rooms SET member_count = member_count - 1 WHERE room = @room", ("@room", room));
        if (!direct)
        {
            await Db.ExecuteAsync(db, tx, "UPDATE users SET memberships = memberships - 1 WHERE user_id = @user AND memberships > 0", ("@user", user));
        }

        var now = DateTimeOffset.UtcNow;
        await TellAsync(db, tx, new MembershipTrigger(room, user, Joined: false, Created: false, IsPrivate: false, direct, now), now);
        return true;
    });

    public Task<InviteOutcome> InviteAsync(InviteCommand command) => writes.WriteAsync(async (db, tx) =>
    {
        var (admission, _, _) = await ReadAdmissionAsync(db, tx, command.Room, command.User);
        if (admission.Member)
        {
            return InviteOutcome.AlreadyMember;
        }

        if (!admission.Invited && await Db.ExecuteAsync(db, tx,
            "UPDATE rooms SET invited_count = invited_count + 1 WHERE room = @room AND invited_count < @max",
            ("@room", command.Room), ("@max", command.MaxInvitedPerRoom)) == 0)
        {
            return InviteOutcome.RoomFull;
        }

        // Invited again, the notice becomes the newest and is shown again.
        await Db.ExecuteAsync(db, tx,
            """
            INSERT INTO invitations (room, user_id, invited_by, at, noticed) VALUES (@room, @user, @by, @at, @noticed)
            ON CONFLICT (room, user_id) DO UPDATE SET invited_by = excluded.invited_by, at = excluded.at, noticed = excluded.noticed
            """,
            ("@room", command.Room), ("@user", command.User), ("@by", command.By), ("@at", Db.Ticks(command.At)), ("@noticed", true));

        // Beyond the cap the oldest notices go, not the admissions: the rooms still let the user in.
        var notices = Convert.ToInt32(await Db.ScalarAsync(db, tx,
            "SELECT COUNT(*) FROM invitations WHERE user_id = @user AND noticed = @noticed", ("@user", command.User), ("@noticed", true)));
        if (notices > command.MaxNoticesPerUser)
        {
            await Db.ExecuteAsync(db, tx,
                """
                UPDATE invitations SET noticed = @dropped WHERE user_id = @user AND room IN
                    (SELECT room FROM invitations WHERE user_id = @user AND noticed = @noticed ORDER BY at, room LIMIT @excess)
                """,
                ("@user", command.User), ("@noticed", true), ("@dropped", false), ("@excess", notices - command.MaxNoticesPerUser));
        }

        return InviteOutcome.Invited;
    });

    public Task<bool> DeclineAsync(string room, string user) => writes.WriteAsync(async (db, tx) =>
    {
        if (await Db.ExecuteAsync(db, tx, "DELETE FROM invitations WHERE room = @room AND user_id = @user", ("@room", room), ("@user", user)) == 0)
        {
            return false;
        }

        await Db.ExecuteAsync(db, tx, "UPDATE rooms SET invited_count = invited_count - 1 WHERE room = @room", ("@room", room));
        return true;
    });

    public Task RevokeTokensAsync(string user, DateTimeOffset before) => writes.WriteAsync(async (db, tx) =>
    {
        await Db.ExecuteAsync(db, tx, "INSERT INTO users (user_id) VALUES (@user) ON CONFLICT DO NOTHING", ("@user", user));
        return await Db.ExecuteAsync(db, tx, "UPDATE users SET tokens_after = @before WHERE user_id = @user AND tokens_after < @before",
            ("@user", user), ("@before", Db.Ticks(before)));
    });

    public async Task<DateTimeOffset> TokensValidAfterAsync(string user)
    {
        await using var read = await openRead();
        var connection = read.Connection;
        var after = await Db.ScalarAsync(connection, null, "SELECT tokens_after FROM users WHERE user_id = @user", ("@user", user));
        return after is null || Convert.ToInt64(after) == 0 ? DateTimeOffset.MinValue : Db.Time(Convert.ToInt64(after));
    }

    public async Task<IReadOnlyList<Invitation>> InvitationsAsync(string user)
    {
        await using var read = await openRead();
        var connection = read.Connection;
        return await Db.ListAsync(connection, null,
            "SELECT room, invited_by, at FROM invitations WHERE user_id = @user AND noticed = @noticed ORDER BY at, room",
            r => new Invitation(r.GetString(0), r.GetString(1), Db.Time(r.GetInt64(2))), ("@user", user), ("@noticed", true));
    }

    public Task<long?> AdvanceReadAsync(string room, string user, long seq) => writes.WriteAsync(async (db, tx) =>
    {
        await Db.ExecuteAsync(db, tx, "UPDATE members SET last_read = @seq WHERE room = @room AND user_id = @user AND last_read < @seq",
            ("@room", room), ("@user", user), ("@seq", seq));
        var pointer = await Db.ScalarAsync(db, tx, $"SELECT {ReadPointer} FROM members m WHERE m.room = @room AND m.user_id = @user",
            ("@room", room), ("@user", user));
        return pointer is null ? (long?)null : Convert.ToInt64(pointer);
    });

    // Unread: messages (not changes) after the pointer, counted up to a cap, so the cost stays bounded per room. Built
    // once: clients ask for it at every connect (the rooms request, which charges the user's budget by rooms listed).
    private static readonly string MembershipsSql =
        $"""
        SELECT p.room, p.pointer, r.last_seq,
               (SELECT MAX(seq) FROM messages g WHERE g.room = p.room),
               (SELECT MAX(seq) FROM changes c WHERE c.room = p.room),
               (SELECT COUNT(*) FROM (SELECT 1 FROM messages u WHERE u.room = p.room AND u.seq > p.pointer AND u.deleted = @no LIMIT {UnreadCap}) unread),
               (SELECT COUNT(*) FROM (SELECT 1 FROM mentions n WHERE n.user_id = @user AND n.room = p.room AND n.seq > p.pointer LIMIT {UnreadCap}) named)
        FROM (SELECT m.room, {ReadPointer} AS pointer FROM members m WHERE m.user_id = @user) p JOIN rooms r ON r.room = p.room
        ORDER BY p.room
        """;

    public async Task<IReadOnlyList<MembershipRecord>> MembershipsAsync(string user)
    {
        await using var read = await openRead();
        var connection = read.Connection;
        return await Db.ListAsync(connection, null, MembershipsSql,
            r => new MembershipRecord(r.GetString(0), r.GetInt64(1),
                Math.Max(r.GetInt64(2), Math.Max(r.IsDBNull(3) ? 0 : r.GetInt64(3), r.IsDBNull(4) ? 0 : r.GetInt64(4))),
                (int)r.GetInt64(5), (int)r.GetInt64(6)),
            ("@user", user), ("@no", false));
    }

    public async Task<IReadOnlyList<string>> PresenceRoomsAsync(string user, int maxMembers)
    {
        await using var read = await openRead();
        return await Db.ListAsync(read.Connection, null,
            "SELECT m.room FROM members m JOIN rooms r ON r.room = m.room WHERE m.user_id = @user AND r.member_count <= @max ORDER BY m.room",
            r => r.GetString(0), ("@user", user), ("@max", maxMembers));
    }

    /// <summary>
    /// Decides and writes a join in one transaction. Quotas are checked with conditional updates, and the room and
    /// member rows are inserted only if absent, so joins committing at once on different writers can neither both
    /// take the last place nor both create the room: the one that finds it made gives back what it took.
    /// </summary>
    private async Task<JoinOutcome> JoinAsync(DbConnection db, DbTransaction tx, JoinCommand command)
    {
        var room = await ReadRoomAsync(db, tx, command.Room);
        var (admission, banned, bannedUntil) = await ReadAdmissionAsync(db, tx, command.Room, command.User);
        if (command.Trusted && !admission.Member)
        {
            // A backend's word admits: as if invited, and past any ban.
            admission = admission with { Invited = admission.Invited || room is { IsPrivate: true } };
        }

        if (Refusal(command, room, admission) is { } refused)
        {
            return refused;
        }

        if (!command.Trusted && banned && (bannedUntil is not { } until || until > command.Now))
        {
            return new JoinOutcome(JoinStatus.Banned, room, BannedUntil: bannedUntil);
        }

        if (command.Trusted)
        {
            command = command with { Quotas = new JoinQuotas(int.MaxValue, int.MaxValue, int.MaxValue, command.Quotas.CreationWindow) };
        }

        if (command.Direct)
        {
            // A direct conversation counts against no quota; the user's row is made for what else it holds.
            await Db.ExecuteAsync(db, tx, "INSERT INTO users (user_id) VALUES (@user) ON CONFLICT DO NOTHING", ("@user", command.User));
        }
        else if (await Db.ExecuteAsync(db, tx,
            // One statement (a round trip less to a database server): a new user's row starts at one membership, an
            // existing one takes one more while under the quota; neither happens at or over it.
            """
            INSERT INTO users (user_id, memberships) SELECT @user, 1 WHERE @max > 0
            ON CONFLICT (user_id) DO UPDATE SET memberships = users.memberships + 1 WHERE users.memberships < @max
            """,
            ("@user", command.User), ("@max", command.Quotas.MaxMemberships)) == 0)
        {
            return new JoinOutcome(JoinStatus.MembershipQuota, room);
        }

        var created = false;
        if (room is null)
        {
            if (!await TakeCreationAsync(db, tx, command))
            {
                await GiveBackMembershipAsync(db, tx, command);
                return new JoinOutcome(JoinStatus.CreationQuota, null, NextCreation: await NextCreationAsync(db, tx, command));
            }

            var isPrivate = command.CreatePrivate && !command.Direct;
            created = await Db.ExecuteAsync(db, tx,
                "INSERT INTO rooms (room, created_at, created_by, is_private, is_direct) VALUES (@room, @at, @by, @private, @direct) ON CONFLICT DO NOTHING",
                ("@room", command.Room), ("@at", Db.Ticks(command.Now)), ("@by", command.User), ("@private", isPrivate), ("@direct", command.Direct)) == 1;
            if (created)
            {
                room = new RoomRecord(command.Room, isPrivate, command.Direct, 0, command.Now, command.User);
            }
            else
            {
                // Made by a join that committed first: this one creates nothing, and may not be let in after all.
                await Db.ExecuteAsync(db, tx, "UPDATE users SET rooms_created = rooms_created - 1, window_count = window_count - 1 WHERE user_id = @user",
                    ("@user", command.User));
                room = await ReadRoomAsync(db, tx, command.Room);
                if (Refusal(command, room, admission) is { } late)
                {
                    await GiveBackMembershipAsync(db, tx, command);
                    return late;
                }
            }
        }

        // The creator of a room owns it (a direct conversation has no owner: both are its members).
        var role = created && !command.Direct ? RoomRole.Owner : RoomRole.Member;
        if (await Db.ExecuteAsync(db, tx, "INSERT INTO members (room, user_id, joined_at, role) VALUES (@room, @user, @at, @role) ON CONFLICT DO NOTHING",
            ("@room", command.Room), ("@user", command.User), ("@at", Db.Ticks(command.Now)), ("@role", (int)role)) == 0)
        {
            // The same user's other join committed first.
            await GiveBackMembershipAsync(db, tx, command);
            return new JoinOutcome(JoinStatus.AlreadyMember, room);
        }

        var invitations = admission.Invited
            ? await Db.ExecuteAsync(db, tx, "DELETE FROM invitations WHERE room = @room AND user_id = @user", ("@room", command.Room), ("@user", command.User))
            : 0;
        await Db.ExecuteAsync(db, tx,
            "UPDATE rooms SET member_count = member_count + 1, invited_count = invited_count - @invited WHERE room = @room",
            ("@room", command.Room), ("@invited", invitations));

        await TellAsync(db, tx, new MembershipTrigger(command.Room, command.User, Joined: true, created, room!.IsPrivate, room.IsDirect, command.Now), command.Now);
        return new JoinOutcome(JoinStatus.Joined, room with { MemberCount = room.MemberCount + 1 }, created, Role: role);
    }

    /// <summary>Why a join is refused as things stand, or null.</summary>
    private static JoinOutcome? Refusal(JoinCommand command, RoomRecord? room, Admission admission) =>
        admission.Member ? new JoinOutcome(JoinStatus.AlreadyMember, room)
        : room is not null && room.IsPrivate && !admission.Invited ? new JoinOutcome(JoinStatus.NotAdmitted, room)
        : room is not null && command.CreatePrivate && !room.IsPrivate && !room.IsDirect ? new JoinOutcome(JoinStatus.PublicExists, room)
        : null;

    private static Task GiveBackMembershipAsync(DbConnection db, DbTransaction tx, JoinCommand command) =>
        command.Direct
            ? Task.CompletedTask
            : Db.ExecuteAsync(db, tx, "UPDATE users SET memberships = memberships - 1 WHERE user_id = @user", ("@user", command.User));

    /// <summary>
    /// Counts a creation against the total and the window quota. A window starts with the first creation after the
    /// previous window ended; within it at most the quota's number of rooms are created.
    /// </summary>
    private static async Task<bool> TakeCreationAsync(DbConnection db, DbTransaction tx, JoinCommand command)
    {
        var quotas = command.Quotas;
        return await Db.ExecuteAsync(db, tx,
            """
            UPDATE users SET
                rooms_created = rooms_created + 1,
                window_count = CASE WHEN window_start <= @expired THEN 1 ELSE window_count + 1 END,
                window_start = CASE WHEN window_start <= @expired THEN @now ELSE window_start END
            WHERE user_id = @user AND rooms_created < @total AND (window_start <= @expired OR window_count < @perWindow)
            """,
            ("@user", command.User), ("@now", Db.Ticks(command.Now)), ("@expired", Db.Ticks(command.Now - quotas.CreationWindow)),
            ("@total", quotas.MaxRoomsCreated), ("@perWindow", quotas.MaxCreationsPerWindow)) == 1;
    }

    /// <summary>When the refused creation would be allowed: the end of the current window, or never (the total is spent).</summary>
    private static async Task<DateTimeOffset?> NextCreationAsync(DbConnection db, DbTransaction tx, JoinCommand command)
    {
        var rows = await Db.ListAsync(db, tx, "SELECT rooms_created, window_start FROM users WHERE user_id = @user",
            r => (Created: r.GetInt32(0), WindowStart: r.GetInt64(1)), ("@user", command.User));
        return rows.Count == 0 || rows[0].Created >= command.Quotas.MaxRoomsCreated
            ? null
            : Db.Time(rows[0].WindowStart) + command.Quotas.CreationWindow;
    }
}
