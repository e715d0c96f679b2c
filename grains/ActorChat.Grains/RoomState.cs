namespace ActorChat.Grains;

/// <summary>Who belongs to a room. Written on join and leave only, never on send.</summary>
[GenerateSerializer]
[Alias("ActorChat.Grains.RoomMembership")]
public sealed class RoomMembership
{
    [Id(0)]
    public SortedSet<string> Members { get; set; } = new(StringComparer.Ordinal);

    /// <summary>True once anyone has joined; a room that never had a member does not exist.</summary>
    [Id(1)]
    public bool Created { get; set; }

    /// <summary>Private rooms admit members and those a member invited; they are not listed.</summary>
    [Id(2)]
    public bool IsPrivate { get; set; }

    /// <summary>Users a member invited who have not joined yet.</summary>
    [Id(3)]
    public SortedSet<string> Invited { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The head of a room's log: the sequence counter, the open (unsealed) chunk and the de-duplication window.
/// Its size is bounded by the chunk size and the window, whatever the length of the history.
/// </summary>
[GenerateSerializer]
[Alias("ActorChat.Grains.RoomLog")]
public sealed class RoomLog
{
    [Id(0)]
    public long LastSeq { get; set; }

    /// <summary>Chunk size this room was created with; 0 until the first message.</summary>
    [Id(1)]
    public int ChunkSize { get; set; }

    /// <summary>Messages not yet sealed into a chunk grain, ascending; the last one has <see cref="LastSeq"/>.</summary>
    [Id(2)]
    public List<Contracts.ChatMessage> Open { get; set; } = [];

    /// <summary>Recent client message ids, oldest first.</summary>
    [Id(3)]
    public List<DedupEntry> Recent { get; set; } = [];

    /// <summary>Index of the oldest chunk retention has kept; chunks below it are gone.</summary>
    [Id(4)]
    public long FirstChunk { get; set; }

    /// <summary>The index: time of the newest message of each kept sealed chunk, from <see cref="FirstChunk"/> on.</summary>
    [Id(5)]
    public List<DateTimeOffset> SealedChunkEnds { get; set; } = [];

    /// <summary>The oldest seq history still holds.</summary>
    public long FirstAvailableSeq => ChunkSize == 0 ? 1 : (FirstChunk * ChunkSize) + 1;
}

[GenerateSerializer]
[Alias("ActorChat.Grains.DedupEntry")]
public sealed record DedupEntry(
    [property: Id(0)] string User,
    [property: Id(1)] string ClientMsgId,
    [property: Id(2)] long Seq,
    [property: Id(3)] DateTimeOffset Ts);

/// <summary>A send appended to the log and waiting for the write that makes it durable.</summary>
internal sealed record PendingSend(Contracts.ChatMessage Message, TaskCompletionSource Done, string? TraceParent);
