using System.Data.Common;
using ActorChat.Contracts;

namespace ActorChat.Storage.Sql;

/// <summary>
/// <see cref="IChatStore"/> over a SQL database: SQLite or PostgreSQL, the same statements for both (see
/// <see cref="SqlDialect"/>). Writes go through the <see cref="WriteQueue"/> (group commit); reads take a pooled
/// connection of their own and see only what is committed.
/// </summary>
internal sealed partial class SqlChatStore(
    SqlDialect dialect,
    Func<ValueTask<ReadConnection>> openRead,
    WriteQueue writes,
    StoreMetrics metrics,
    IOutbox outbox,
    IDisposable? readers = null) : IChatStore, IAsyncDisposable
{
    private const string RoomColumns = "room, is_private, is_direct, member_count, created_at, created_by, topic, slow_mode";

    public async Task<RoomRecord?> RoomAsync(string room)
    {
        await using var read = await openRead();
        var connection = read.Connection;
        return await ReadRoomAsync(connection, null, room);
    }

    public async Task<Admission> AdmissionAsync(string room, string user)
    {
        await using var read = await openRead();
        var connection = read.Connection;
        return (await ReadAdmissionAsync(connection, null, room, user)).Admission;
    }

    public async Task<IReadOnlyList<(string User, RoomRole Role)>> MembersAsync(string room, string? after, int limit)
    {
        await using var read = await openRead();
        var connection = read.Connection;
        return await Db.ListAsync(connection, null,
            "SELECT user_id, role FROM members WHERE room = @room AND user_id > @after ORDER BY user_id LIMIT @limit",
            r => (r.GetString(0), (RoomRole)r.GetInt32(1)), ("@room", room), ("@after", after ?? string.Empty), ("@limit", limit));
    }

    public async Task<IReadOnlyList<RoomListing>> ListedRoomsAsync(string? after, int limit)
    {
        await using var read = await openRead();
        var connection = read.Connection;
        return await Db.ListAsync(connection, null,
            $"SELECT room, member_count FROM rooms WHERE {dialect.Listed} AND room > @after ORDER BY room LIMIT @limit",
            r => new RoomListing(r.GetString(0), r.GetInt32(1)), ("@after", after ?? string.Empty), ("@limit", limit));
    }

    public async Task<IReadOnlyList<string>> RoomIdsAsync(string? after, int limit)
    {
        await using var read = await openRead();
        var connection = read.Connection;
        return await Db.ListAsync(connection, null, "SELECT room FROM rooms WHERE room > @after ORDER BY room LIMIT @limit",
            r => r.GetString(0), ("@after", after ?? string.Empty), ("@limit", limit));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await writes.DisposeAsync();
        }
        finally
        {
            readers?.Dispose();
        }
    }

    private static async Task<RoomRecord?> ReadRoomAsync(DbConnection connection, DbTransaction? transaction, string room)
    {
        var rows = await Db.ListAsync(connection, transaction, $"SELECT {RoomColumns} FROM rooms WHERE room = @room", ReadRoom, ("@room", room));
        return rows.Count == 0 ? null : rows[0];
    }

    private static RoomRecord ReadRoom(DbDataReader r) =>
        new(r.GetString(0), r.GetBoolean(1), r.GetBoolean(2), r.GetInt32(3), Db.Time(r.GetInt64(4)), r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetInt32(7));

    /// <summary>
    /// Whether the user is a member of the room or invited to it, and whether banned from it (until when, or for good
    /// without an end): one read, which a join needs whole and the others for the admission alone.
    /// </summary>
    private static async Task<(Admission Admission, bool Banned, DateTimeOffset? BannedUntil)> ReadAdmissionAsync(
        DbConnection connection, DbTransaction? transaction, string room, string user)
    {
        var rows = await Db.ListAsync(connection, transaction,
            """
            SELECT 1, CAST(NULL AS BIGINT) FROM members WHERE room = @room AND user_id = @user
            UNION ALL
            SELECT 2, NULL FROM invitations WHERE room = @room AND user_id = @user
            UNION ALL
            SELECT 3, until FROM bans WHERE room = @room AND user_id = @user
            """,
            r => (Kind: r.GetInt32(0), Until: r.IsDBNull(1) ? (DateTimeOffset?)null : Db.Time(r.GetInt64(1))), ("@room", room), ("@user", user));
        var ban = rows.FirstOrDefault(r => r.Kind == 3);
        return (new Admission(rows.Any(r => r.Kind == 1), rows.Any(r => r.Kind == 2)), ban.Kind == 3, ban.Until);
    }
}
