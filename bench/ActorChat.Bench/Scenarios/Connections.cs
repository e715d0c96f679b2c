using ActorChat.Bench.Load;
using ActorChat.Bench.Servers;

namespace ActorChat.Bench.Scenarios;

internal static class Connections
{
    /// <summary>Opens <paramref name="count"/> clients, <paramref name="parallel"/> at a time, each joined to the room <paramref name="roomOf"/> names.</summary>
    public static async Task<IChatDriver[]> OpenAsync(ServerUnderTest server, int count, string userPrefix, Func<int, string> roomOf, Progress progress, CancellationToken cancellationToken, int parallel = 64)
    {
        var clients = new IChatDriver[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var client = await server.ConnectAsync($"{userPrefix}{i}", ct);
            await client.JoinAsync(roomOf(i));
            clients[i] = client;
            progress.Connected();
        });
        return clients;
    }

    public static async Task CloseAsync(IEnumerable<IChatDriver?> clients)
    {
        foreach (var chunk in clients.Where(c => c is not null).Chunk(256))
        {
            await Task.WhenAll(chunk.Select(c => c!.DisposeAsync().AsTask()));
        }
    }
}
