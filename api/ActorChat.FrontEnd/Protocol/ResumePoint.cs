using ActorChat.Contracts;

namespace ActorChat.FrontEnd.Protocol;

/// <summary>
/// Where a follower joining with an optional <c>since</c> starts (its relay cursor) and whether history still
/// holds everything it asked for; the same for a socket's <c>join</c> and an event stream's <c>Last-Event-ID</c>.
/// </summary>
internal readonly record struct ResumePoint(long Cursor, bool Recovered)
{
    public static ResumePoint Of(JoinResult joined, long? since) => new(
        since is { } s ? Math.Min(s, joined.LastSeq) : joined.LastSeq,
        since is null || (since <= joined.LastSeq && since + 1 >= joined.FirstAvailableSeq));
}
