using ActorChat.Contracts;

namespace ActorChat.Storage;

/// <summary>
/// What a write tells the outside of (webhooks): asked by the store while it writes, so each event is stored in the
/// same commit as what it tells of and can never be lost between the two. The webhook configuration decides.
/// </summary>
public interface IOutbox
{
    /// <summary>Whether any endpoint wants <c>notification.needed</c>: then direct messages and mentions leave notices.</summary>
    bool WantsNotices { get; }

    /// <summary>The events (each with the endpoints that get it) a log entry or a membership change makes.</summary>
    IReadOnlyList<OutboxEvent> For(OutboxTrigger trigger);
}

/// <summary>One webhook event: its id (the same on every delivery attempt), kind, JSON body and endpoints.</summary>
public sealed record OutboxEvent(string Id, string Kind, string Body, IReadOnlyList<string> Endpoints);

/// <summary>What happened, as the store saw it while writing.</summary>
public abstract record OutboxTrigger(string Room);

/// <summary>A message or a change was appended to the room's log.</summary>
public sealed record LogTrigger(string Room, RoomEvent Entry) : OutboxTrigger(Room);

/// <summary>A user joined (possibly creating the room) or left.</summary>
public sealed record MembershipTrigger(string Room, string User, bool Joined, bool Created, bool IsPrivate, bool IsDirect, DateTimeOffset At) : OutboxTrigger(Room);

/// <summary>The outbox of a store without webhooks.</summary>
public sealed class NoOutbox : IOutbox
{
    public static NoOutbox Instance { get; } = new();

    public bool WantsNotices => false;

    public IReadOnlyList<OutboxEvent> For(OutboxTrigger trigger) => [];
}

/// <summary>A webhook delivery due now (claimed for a while by one dispatcher).</summary>
public sealed record DueDelivery(string EventId, string Endpoint, string Kind, string Body, int Attempts, DateTimeOffset CreatedAt);

/// <summary>A delivery that gave up after its last attempt, kept for an operator to look at and replay.</summary>
public sealed record DeadLetter(string EventId, string Endpoint, string Kind, int Attempts, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset FailedAt);

/// <summary>Direct messages or mentions a user got in a room while away, gathered for one notification.</summary>
public sealed record Notice(string User, string Room, int Count, long LastSeq, DateTimeOffset FirstAt);
