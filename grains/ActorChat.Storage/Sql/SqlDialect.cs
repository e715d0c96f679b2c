namespace ActorChat.Storage.Sql;

/// <summary>
/// What differs between the databases ActorChat stores in. Statements are otherwise shared: both take
/// <c>@name</c> parameters, <c>ON CONFLICT</c>, <c>RETURNING</c> and partial indexes.
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>Statements that bring the schema from version i to i + 1, for each i.</summary>
    public abstract IReadOnlyList<string> Migrations { get; }

    /// <summary>Writers that commit at once: SQLite has one writer whatever the count, a server more.</summary>
    public abstract int MaxWriters { get; }

    /// <summary>The condition of a listed room, written as the partial index <c>rooms_listed</c> states it.</summary>
    public abstract string Listed { get; }

    /// <summary>Runs first in the migration transaction, so that silos starting together migrate one at a time.</summary>
    public abstract string? MigrationLock { get; }
}

internal sealed class SqliteDialect : SqlDialect
{
    public static SqliteDialect Instance { get; } = new();

    public override int MaxWriters => 1;

    public override string Listed => "is_private = 0 AND is_direct = 0 AND member_count > 0";

    // One process owns a SQLite file.
    public override string? MigrationLock => null;

    // Keyed tables without rowid: a row is stored once, in its key's order, so a room's messages and members sit
    // together and a range read touches few pages.
    public override IReadOnlyList<string> Migrations { get; } =
    [
        """
        CREATE TABLE rooms (
            room          TEXT    NOT NULL PRIMARY KEY,
            created_at    INTEGER NOT NULL,
            created_by    TEXT    NOT NULL,
            is_private    INTEGER NOT NULL,
            is_direct     INTEGER NOT NULL,
            member_count  INTEGER NOT NULL DEFAULT 0,
            invited_count INTEGER NOT NULL DEFAULT 0,
            last_seq      INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE INDEX rooms_listed ON rooms (room) WHERE is_private = 0 AND is_direct = 0 AND member_count > 0;
        CREATE TABLE messages (
            room          TEXT    NOT NULL,
            seq           INTEGER NOT NULL,
            sender        TEXT    NOT NULL,
            text          TEXT    NOT NULL,
            ts            INTEGER NOT NULL,
            client_msg_id TEXT,
            PRIMARY KEY (room, seq)
        ) WITHOUT ROWID;
        CREATE TABLE members (
            room      TEXT    NOT NULL,
            user_id   TEXT    NOT NULL,
            joined_at INTEGER NOT NULL,
            last_read INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (room, user_id)
        ) WITHOUT ROWID;
        CREATE INDEX members_by_user ON members (user_id, room);
        CREATE TABLE invitations (
            room       TEXT    NOT NULL,
            user_id    TEXT    NOT NULL,
            invited_by TEXT    NOT NULL,
            at         INTEGER NOT NULL,
            noticed    INTEGER NOT NULL,
            PRIMARY KEY (room, user_id)
        ) WITHOUT ROWID;
        CREATE INDEX invitations_by_user ON invitations (user_id, at);
        CREATE TABLE users (
            user_id       TEXT    NOT NULL PRIMARY KEY,
            memberships   INTEGER NOT NULL DEFAULT 0,
            rooms_created INTEGER NOT NULL DEFAULT 0,
            window_start  INTEGER NOT NULL DEFAULT 0,
            window_count  INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        """,
        """
        ALTER TABLE messages ADD COLUMN edited_at INTEGER;
        ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE messages ADD COLUMN reply_to INTEGER;
        ALTER TABLE messages ADD COLUMN mentions TEXT;
        CREATE INDEX messages_by_sender ON messages (sender, room, seq);
        ALTER TABLE members ADD COLUMN role INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE members ADD COLUMN muted_until INTEGER;
        CREATE INDEX members_by_role ON members (room, role) WHERE role > 0;
        ALTER TABLE rooms ADD COLUMN topic TEXT;
        ALTER TABLE rooms ADD COLUMN slow_mode INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE changes (
            room      TEXT    NOT NULL,
            seq       INTEGER NOT NULL,
            kind      INTEGER NOT NULL,
            target    INTEGER NOT NULL,
            by_user   TEXT    NOT NULL,
            at        INTEGER NOT NULL,
            text      TEXT,
            emoji     TEXT,
            subject   TEXT,
            added     INTEGER,
            count     INTEGER,
            action    INTEGER,
            until     INTEGER,
            role      INTEGER,
            topic     TEXT,
            slow_mode INTEGER,
            PRIMARY KEY (room, seq)
        ) WITHOUT ROWID;
        CREATE INDEX changes_by_target ON changes (room, target);
        CREATE TABLE reactions (
            room    TEXT    NOT NULL,
            seq     INTEGER NOT NULL,
            emoji   TEXT    NOT NULL,
            user_id TEXT    NOT NULL,
            at      INTEGER NOT NULL,
            PRIMARY KEY (room, seq, emoji, user_id)
        ) WITHOUT ROWID;
        CREATE INDEX reactions_by_user ON reactions (user_id, room, seq);
        CREATE TABLE reaction_counts (
            room     TEXT    NOT NULL,
            seq      INTEGER NOT NULL,
            emoji    TEXT    NOT NULL,
            count    INTEGER NOT NULL,
            first_seq INTEGER NOT NULL,
            PRIMARY KEY (room, seq, emoji)
        ) WITHOUT ROWID;
        CREATE TABLE mentions (
            user_id TEXT    NOT NULL,
            room    TEXT    NOT NULL,
            seq     INTEGER NOT NULL,
            PRIMARY KEY (user_id, room, seq)
        ) WITHOUT ROWID;
        CREATE TABLE bans (
            room    TEXT    NOT NULL,
            user_id TEXT    NOT NULL,
            until   INTEGER,
            by_user TEXT    NOT NULL,
            at      INTEGER NOT NULL,
            PRIMARY KEY (room, user_id)
        ) WITHOUT ROWID;
        """,
        // Every room has an owner: its creator, or, for a room carried over from the blob-per-grain release (whose
        // creator is unknown), its member with the lowest id.
        """
        UPDATE rooms SET created_by = (SELECT MIN(m.user_id) FROM members m WHERE m.room = rooms.room)
        WHERE created_by = '' AND is_direct = 0 AND EXISTS (SELECT 1 FROM members m WHERE m.room = rooms.room);
        UPDATE members SET role = 2
        WHERE EXISTS (SELECT 1 FROM rooms r WHERE r.room = members.room AND r.created_by = members.user_id AND r.is_direct = 0);
        """,
        // Bots and the system speak too; tokens issued before a time can be revoked; webhooks leave through an
        // outbox written in the same commit as what they tell of.
        """
        ALTER TABLE messages ADD COLUMN sender_kind INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE users ADD COLUMN tokens_after INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE webhook_events (
            id         TEXT    NOT NULL PRIMARY KEY,
            kind       TEXT    NOT NULL,
            body       TEXT    NOT NULL,
            created_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE webhook_deliveries (
            event_id    TEXT    NOT NULL,
            endpoint    TEXT    NOT NULL,
            state       INTEGER NOT NULL DEFAULT 0,
            attempts    INTEGER NOT NULL DEFAULT 0,
            next_at     INTEGER NOT NULL,
            lease_until INTEGER,
            last_error  TEXT,
            done_at     INTEGER,
            PRIMARY KEY (event_id, endpoint)
        ) WITHOUT ROWID;
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_at);
        CREATE TABLE webhook_notices (
            user_id  TEXT    NOT NULL,
            room     TEXT    NOT NULL,
            count    INTEGER NOT NULL,
            first_at INTEGER NOT NULL,
            last_seq INTEGER NOT NULL,
            PRIMARY KEY (user_id, room)
        ) WITHOUT ROWID;
        CREATE INDEX webhook_notices_due ON webhook_notices (first_at);
        """,
        // The mentions of one message, found by the message: deleting a message, erasing a user and the retention
        // sweep each read the whole table without it (its key starts with the user named).
        "CREATE INDEX mentions_by_message ON mentions (room, seq);",
    ];
}

internal sealed class PostgresDialect : SqlDialect
{
    public static PostgresDialect Instance { get; } = new();

    public override int MaxWriters => 64;

    public override string Listed => "listed";

    public override string? MigrationLock => "SELECT pg_advisory_xact_lock(7408170112)";

    // Ids are COLLATE "C": compared byte by byte (ordinally, as the grains and SQLite do), whatever the database's collation.
    public override IReadOnlyList<string> Migrations { get; } =
    [
        """
        CREATE TABLE rooms (
            room          TEXT    COLLATE "C" NOT NULL PRIMARY KEY,
            created_at    BIGINT  NOT NULL,
            created_by    TEXT    NOT NULL,
            is_private    BOOLEAN NOT NULL,
            is_direct     BOOLEAN NOT NULL,
            member_count  INTEGER NOT NULL DEFAULT 0,
            invited_count INTEGER NOT NULL DEFAULT 0,
            last_seq      BIGINT  NOT NULL DEFAULT 0
        );
        CREATE INDEX rooms_listed ON rooms (room) WHERE NOT is_private AND NOT is_direct AND member_count > 0;
        CREATE TABLE messages (
            room          TEXT   COLLATE "C" NOT NULL,
            seq           BIGINT NOT NULL,
            sender        TEXT   NOT NULL,
            text          TEXT   NOT NULL,
            ts            BIGINT NOT NULL,
            client_msg_id TEXT,
            PRIMARY KEY (room, seq)
        );
        CREATE TABLE members (
            room      TEXT   COLLATE "C" NOT NULL,
            user_id   TEXT   COLLATE "C" NOT NULL,
            joined_at BIGINT NOT NULL,
            last_read BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (room, user_id)
        );
        CREATE INDEX members_by_user ON members (user_id, room);
        CREATE TABLE invitations (
            room       TEXT    COLLATE "C" NOT NULL,
            user_id    TEXT    COLLATE "C" NOT NULL,
            invited_by TEXT    NOT NULL,
            at         BIGINT  NOT NULL,
            noticed    BOOLEAN NOT NULL,
            PRIMARY KEY (room, user_id)
        );
        CREATE INDEX invitations_by_user ON invitations (user_id, at);
        CREATE TABLE users (
            user_id       TEXT    COLLATE "C" NOT NULL PRIMARY KEY,
            memberships   INTEGER NOT NULL DEFAULT 0,
            rooms_created INTEGER NOT NULL DEFAULT 0,
            window_start  BIGINT  NOT NULL DEFAULT 0,
            window_count  INTEGER NOT NULL DEFAULT 0
        );
        """,
        """
        ALTER TABLE messages ADD COLUMN edited_at BIGINT;
        ALTER TABLE messages ADD COLUMN deleted BOOLEAN NOT NULL DEFAULT false;
        ALTER TABLE messages ADD COLUMN reply_to BIGINT;
        ALTER TABLE messages ADD COLUMN mentions TEXT;
        CREATE INDEX messages_by_sender ON messages (sender, room, seq);
        ALTER TABLE members ADD COLUMN role INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE members ADD COLUMN muted_until BIGINT;
        CREATE INDEX members_by_role ON members (room, role) WHERE role > 0;
        ALTER TABLE rooms ADD COLUMN topic TEXT;
        ALTER TABLE rooms ADD COLUMN slow_mode INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE changes (
            room      TEXT    COLLATE "C" NOT NULL,
            seq       BIGINT  NOT NULL,
            kind      INTEGER NOT NULL,
            target    BIGINT  NOT NULL,
            by_user   TEXT    NOT NULL,
            at        BIGINT  NOT NULL,
            text      TEXT,
            emoji     TEXT,
            subject   TEXT,
            added     BOOLEAN,
            count     INTEGER,
            action    INTEGER,
            until     BIGINT,
            role      INTEGER,
            topic     TEXT,
            slow_mode INTEGER,
            PRIMARY KEY (room, seq)
        );
        CREATE INDEX changes_by_target ON changes (room, target);
        CREATE TABLE reactions (
            room    TEXT    COLLATE "C" NOT NULL,
            seq     BIGINT  NOT NULL,
            emoji   TEXT    NOT NULL,
            user_id TEXT    COLLATE "C" NOT NULL,
            at      BIGINT  NOT NULL,
            PRIMARY KEY (room, seq, emoji, user_id)
        );
        CREATE INDEX reactions_by_user ON reactions (user_id, room, seq);
        CREATE TABLE reaction_counts (
            room     TEXT    COLLATE "C" NOT NULL,
            seq      BIGINT  NOT NULL,
            emoji    TEXT    NOT NULL,
            count    INTEGER NOT NULL,
            first_seq BIGINT  NOT NULL,
            PRIMARY KEY (room, seq, emoji)
        );
        CREATE TABLE mentions (
            user_id TEXT    COLLATE "C" NOT NULL,
            room    TEXT    COLLATE "C" NOT NULL,
            seq     BIGINT  NOT NULL,
            PRIMARY KEY (user_id, room, seq)
        );
        CREATE TABLE bans (
            room    TEXT    COLLATE "C" NOT NULL,
            user_id TEXT    COLLATE "C" NOT NULL,
            until   BIGINT,
            by_user TEXT    NOT NULL,
            at      BIGINT  NOT NULL,
            PRIMARY KEY (room, user_id)
        );
        """,
        // Every room has an owner: its creator, or, for a room carried over from the blob-per-grain release (whose
        // creator is unknown), its member with the lowest id.
        """
        UPDATE rooms SET created_by = (SELECT MIN(m.user_id) FROM members m WHERE m.room = rooms.room)
        WHERE created_by = '' AND is_direct = false AND EXISTS (SELECT 1 FROM members m WHERE m.room = rooms.room);
        UPDATE members SET role = 2
        WHERE EXISTS (SELECT 1 FROM rooms r WHERE r.room = members.room AND r.created_by = members.user_id AND r.is_direct = false);
        """,
        // Bots and the system speak too; tokens issued before a time can be revoked; webhooks leave through an
        // outbox written in the same commit as what they tell of.
        """
        ALTER TABLE messages ADD COLUMN sender_kind INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE users ADD COLUMN tokens_after BIGINT NOT NULL DEFAULT 0;
        CREATE TABLE webhook_events (
            id         TEXT    NOT NULL PRIMARY KEY,
            kind       TEXT    NOT NULL,
            body       TEXT    NOT NULL,
            created_at BIGINT  NOT NULL
        );
        CREATE TABLE webhook_deliveries (
            event_id    TEXT    NOT NULL,
            endpoint    TEXT    NOT NULL,
            state       INTEGER NOT NULL DEFAULT 0,
            attempts    INTEGER NOT NULL DEFAULT 0,
            next_at     BIGINT  NOT NULL,
            lease_until BIGINT,
            last_error  TEXT,
            done_at     BIGINT,
            PRIMARY KEY (event_id, endpoint)
        );
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_at);
        CREATE TABLE webhook_notices (
            user_id  TEXT    COLLATE "C" NOT NULL,
            room     TEXT    COLLATE "C" NOT NULL,
            count    INTEGER NOT NULL,
            first_at BIGINT  NOT NULL,
            last_seq BIGINT  NOT NULL,
            PRIMARY KEY (user_id, room)
        );
        CREATE INDEX webhook_notices_due ON webhook_notices (first_at);
        """,
        // A join or a leave changes member_count, and a column an index's predicate names makes every update of the
        // row a new index entry in each of the table's indexes (not a HOT update): the room's row in a room thousands
        // join took thousands of entries in both. The directory's index now names a stored column that changes only
        // when a room becomes listed or unlisted. Rewrites the rooms table once (a row per room).
        """
        ALTER TABLE rooms ADD COLUMN listed BOOLEAN GENERATED ALWAYS AS (NOT is_private AND NOT is_direct AND member_count > 0) STORED;
        DROP INDEX rooms_listed;
        CREATE INDEX rooms_listed ON rooms (room) WHERE listed;
        """,
        // The mentions of one message, found by the message: deleting a message, erasing a user and the retention
        // sweep each read the whole table without it (its key starts with the user named).
        "CREATE INDEX mentions_by_message ON mentions (room, seq);",
    ];
}
