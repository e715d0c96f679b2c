using System.Data.Common;
using ActorChat.Contracts;

namespace ActorChat.Storage.Sql;

/// <summary>The webhook outbox: events written with what they tell of, and their deliveries claimed, retried, dead-lettered.</summary>
internal sealed partial class SqlChatStore : IWebhookStore
{
    private enum DeliveryState
    {
        Pending = 0,
        Delivered = 1,
        Dead = 2,
    }

    public Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int limit) => writes.WriteAsync<IReadOnlyList<DueDelivery>>(async (db, tx) =>
    {
        // Claimed by setting a lease: another silo's dispatcher skips what is leased until the lease runs out.
        var due = await Db.ListAsync(db, tx,
            """
            SELECT d.event_id, d.endpoint, e.kind, e.body, d.attempts, e.created_at
            FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
            WHERE d.state = @pending AND d.next_at <= @now AND (d.lease_until IS NULL OR d.lease_until < @now)
            ORDER BY d.next_at LIMIT @limit
            """,
            r => new DueDelivery(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), Db.Time(r.GetInt64(5))),
            ("@pending", (int)DeliveryState.Pending), ("@now", Db.Ticks(now)), ("@limit", limit));
        var claimed = new List<DueDelivery>(due.Count);
        foreach (var delivery in due)
        {
            if (await Db.ExecuteAsync(db, tx,
                """
                UPDATE webhook_deliveries SET lease_until = @until
                WHERE event_id = @event AND endpoint = @endpoint AND state = @pending AND (lease_until IS NULL OR lease_until < @now)
                """,
                ("@event", delivery.EventId), ("@endpoint", delivery.Endpoint), ("@pending", (int)DeliveryState.Pending),
                ("@now", Db.Ticks(now)), ("@until", Db.Ticks(now + lease))) == 1)
            {
                claimed.Add(delivery);
            }
        }

        return claimed;
    });

    public Task DeliveredAsync(string eventId, string endpoint, DateTimeOffset at) => writes.WriteAsync(async (db, tx) =>
        await Db.ExecuteAsync(db, tx,
            "UPDATE webhook_deliveries SET state = @delivered, attempts = attempts + 1, done_at = @at, lease_until = NULL, last_error = NULL WHERE event_id = @event AND endpoint = @endpoint",
            ("@delivered", (int)DeliveryState.Delivered), ("@at", Db.Ticks(at)), ("@event", eventId), ("@endpoint", endpoint)));

    public Task FailedAsync(string eventId, string endpoint, string error, DateTimeOffset at, DateTimeOffset? nextAt) => writes.WriteAsync(async (db, tx) =>
        await Db.ExecuteAsync(db, tx,
            """
            UPDATE webhook_deliveries
            SET attempts = attempts + 1, last_error = @error, lease_until = NULL, state = @state, next_at = @next, done_at = @done
            WHERE event_id = @event AND endpoint = @endpoint
            """,
            ("@error", error.Length > 500 ? error[..500] : error), ("@state", (int)(nextAt is null ? DeliveryState.Dead : DeliveryState.Pending)),
            ("@next", Db.Ticks(nextAt ?? at)), ("@done", nextAt is null ? Db.Ticks(at) : null), ("@event", eventId), ("@endpoint", endpoint)));

    public async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(int limit)
    {
        await using var read = await openRead();
        var connection = read.Connection;
        return await Db.ListAsync(connection, null,
            """
            SELECT d.event_id, d.endpoint, e.kind, d.attempts, d.last_error, e.created_at, d.done_at
            FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
            WHERE d.state = @dead ORDER BY d.done_at DESC LIMIT @limit
            """,
            r => new DeadLetter(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.IsDBNull(4) ? null : r.GetString(4), Db.Time(r.GetInt64(5)), Db.Time(r.GetInt64(6))),
            ("@dead", (int)DeliveryState.Dead), ("@limit", limit));
    }

    public Task<int> ReplayAsync(string eventId, string? endpoint, DateTimeOffset now) => writes.WriteAsync(async (db, tx) =>
        await Db.ExecuteAsync(db, tx,
            $"""
            UPDATE webhook_deliveries SET state = @pending, attempts = 0, next_at = @now, done_at = NULL, lease_until = NULL
            WHERE event_id = @event AND state = @dead{(endpoint is null ? string.Empty : " AND endpoint = @endpoint")}
            """,
            ("@pending", (int)DeliveryState.Pending), ("@dead", (int)DeliveryState.Dead), ("@now", Db.Ticks(now)), ("@event", eventId), ("@endpoint", endpoint)));

    public async Task<DateTimeOffset?> OldestPendingAsync()
    {
        await using var read = await openRead();
        var connection = read.Connection;
        var oldest = await Db.ScalarAsync(connection, null,
            "SELECT MIN(e.created_at) FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE d.state = @pending",
            ("@pending", (int)DeliveryState.Pending));
        return oldest is null ? null : Db.Time(Convert.ToInt64(oldest));
    }

    public async Task<IReadOnlyList<Notice>> DueNoticesAsync(DateTimeOffset cutoff, int limit)
    {
        await using var read = await openRead();
        var connection = read.Connection;
        return await Db.ListAsync(connection, null,
            "SELECT user_id, room, count, last_seq, first_at FROM webhook_notices WHERE first_at <= @cutoff ORDER BY first_at LIMIT @limit",
            r => new Notice(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetInt64(3), Db.Time(r.GetInt64(4))),
            ("@cutoff", Db.Ticks(cutoff)), ("@limit", limit));
    }

    public Task<bool> TakeNoticeAsync(Notice notice, OutboxEvent? notification) => writes.WriteAsync(async (db, tx) =>
    {
        // Only as it was read: a message that joined the notice since makes a later one, not a lost one.
        if (await Db.ExecuteAsync(db, tx, "DELETE FROM webhook_notices WHERE user_id = @user AND room = @room AND last_seq = @seq",
            ("@user", notice.User), ("@room", notice.Room), ("@seq", notice.LastSeq)) == 0)
        {
            return false;
        }

        if (notification is not null)
        {
            await WriteEventAsync(db, tx, notification, DateTimeOffset.UtcNow);
        }

        return true;
    });

    /// <summary>Stores what the outbox makes of a trigger, in the transaction of the write that caused it.</summary>
    private async Task TellAsync(DbConnection db, DbTransaction tx, OutboxTrigger trigger, DateTimeOffset at)
    {
        foreach (var outboxEvent in outbox.For(trigger))
        {
            await WriteEventAsync(db, tx, outboxEvent, at);
        }
    }

    /// <summary>A direct message or a mention leaves a notice for its recipient; the notice sweeper decides later whether to notify.</summary>
    private async Task NoteAsync(DbConnection db, DbTransaction tx, string room, ChatMessage message)
    {
        if (!outbox.WantsNotices)
        {
            return;
        }

        var recipients = new HashSet<string>(message.Mentions ?? [], StringComparer.Ordinal);
        if (ChatIds.TryParseDirect(room, out var a, out var b))
        {
            recipients.Add(message.From == a ? b : a);
        }

        recipients.Remove(message.From);
        foreach (var recipient in recipients)
        {
            await Db.ExecuteAsync(db, tx,
                """
                INSERT INTO webhook_notices (user_id, room, count, first_at, last_seq) VALUES (@user, @room, 1, @at, @seq)
                ON CONFLICT (user_id, room) DO UPDATE SET count = webhook_notices.count + 1, last_seq = excluded.last_seq
                """,
                ("@user", recipient), ("@room", room), ("@at", Db.Ticks(message.Ts)), ("@seq", message.Seq));
        }
    }

    private static async Task WriteEventAsync(DbConnection db, DbTransaction tx, OutboxEvent outboxEvent, DateTimeOffset at)
    {
        if (outboxEvent.Endpoints.Count == 0)
        {
            return;
        }

        await Db.ExecuteAsync(db, tx, "INSERT INTO webhook_events (id, kind, body, created_at) VALUES (@id, @kind, @body, @at)",
            ("@id", outboxEvent.Id), ("@kind", outboxEvent.Kind), ("@body", outboxEvent.Body), ("@at", Db.Ticks(at)));
        foreach (var endpoint in outboxEvent.Endpoints)
        {
            await Db.ExecuteAsync(db, tx, "INSERT INTO webhook_deliveries (event_id, endpoint, next_at) VALUES (@id, @endpoint, @at)",
                ("@id", outboxEvent.Id), ("@endpoint", endpoint), ("@at", Db.Ticks(at)));
        }
    }
}
