using ActorChat.Contracts;

namespace ActorChat.Grains;

/// <summary>
/// One sealed chunk of a room's log, keyed <c>{room}/{index}</c>; chunk i holds seq i*size+1 .. (i+1)*size.
/// Written once when the room's open chunk fills, so a send never rewrites old history.
/// </summary>
[Alias("ActorChat.IRoomChunkGrain")]
public interface IRoomChunkGrain : IGrainWithStringKey
{
    [Alias("Store")]
    Task Store(IReadOnlyList<ChatMessage> messages);

    [Alias("Load")]
    Task<IReadOnlyList<ChatMessage>> Load();

    /// <summary>Deletes the chunk (retention).</summary>
    [Alias("Drop")]
    Task Drop();
}
