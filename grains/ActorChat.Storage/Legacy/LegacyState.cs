using ActorChat.Contracts;

namespace ActorChat.Storage.Legacy;

// The grain states of the blob-per-grain release, kept only to read its data directory once. Their aliases and
// field ids are that release's: the stored blobs decode into them unchanged. Never write these.

[GenerateSerializer]
[Alias("ActorChat.Grains.RoomMembership")]
internal sealed class LegacyRoomMembership
{
    [Id(0)]
    public SortedSet<string> Members { get; set; } = new(StringComparer.Ordinal);

    [Id(1)]
    public bool Created { get; set; }

    [Id(2)]
    public bool IsPrivate { get; set; }

    [Id(3)]
    public SortedSet<string> Invited { get; set; } = new(StringComparer.Ordinal);
}

[GenerateSerializer]
[Alias("ActorChat.Grains.RoomLog")]
internal sealed class LegacyRoomLog
{
    [Id(0)]
    public long LastSeq { get; set; }

    [Id(1)]
    public int ChunkSize { get; set; }

    [Id(2)]
    public List<ChatMessage> Open { get; set; } = [];

    [Id(3)]
    public List<LegacyDedupEntry> Recent { get; set; } = [];

    [Id(4)]
    public long FirstChunk { get; set; }

    [Id(5)]
    public List<DateTimeOffset> SealedChunkEnds { get; set; } = [];
}

[GenerateSerializer]
[Alias("ActorChat.Grains.DedupEntry")]
internal sealed record LegacyDedupEntry(
    [property: Id(0)] string User,
    [property: Id(1)] string ClientMsgId,
    [property: Id(2)] long Seq,
    [property: Id(3)] DateTimeOffset Ts);

[GenerateSerializer]
[Alias("ActorChat.Grains.RoomChunk")]
internal sealed class LegacyRoomChunk
{
    [Id(0)]
    public List<ChatMessage> Messages { get; set; } = [];
}

[GenerateSerializer]
[Alias("ActorChat.Grains.UserState")]
internal sealed class LegacyUserState
{
    [Id(0)]
    public SortedDictionary<string, long> Rooms { get; set; } = new(StringComparer.Ordinal);

    [Id(1)]
    public List<Invitation> Invitations { get; set; } = [];
}
