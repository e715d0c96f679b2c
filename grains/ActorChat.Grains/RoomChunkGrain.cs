using ActorChat.Contracts;

namespace ActorChat.Grains;

internal sealed class RoomChunkGrain(
    [PersistentState("chunk", ChatProviders.Storage)] IPersistentState<RoomChunk> chunk) : Grain, IRoomChunkGrain
{
    public static string KeyOf(string room, long index) => $"{room}/{index}";

    public async Task Store(IReadOnlyList<ChatMessage> messages)
    {
        chunk.State.Messages = [.. messages];
        await chunk.WriteStateAsync();
    }

    public Task<IReadOnlyList<ChatMessage>> Load() => Task.FromResult<IReadOnlyList<ChatMessage>>(chunk.State.Messages);

    public async Task Drop()
    {
        await chunk.ClearStateAsync();
        DeactivateOnIdle();
    }
}

[GenerateSerializer]
[Alias("ActorChat.Grains.RoomChunk")]
public sealed class RoomChunk
{
    [Id(0)]
    public List<ChatMessage> Messages { get; set; } = [];
}
