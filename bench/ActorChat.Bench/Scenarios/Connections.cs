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

    /// <summary>
    /// Runs <paramref name="send"/> for 0 .. <paramref name="count"/> - 1 with up to 256 in flight (sends to fill a
    /// store fast, the connection pipelining them), counting each in <paramref name="progress"/>.
    /// </summary>
    public static async Task SendWindowedAsync(Func<int, Task> send, int count, Progress progress, CancellationToken cancellationToken)
    {
        const int Window = 256;
        var inFlight = new List<Task>(Window);
        for (var i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            inFlight.Add(send(i));
            progress.SentOne();
            if (inFlight.Count == Window)
            {
                await Task.WhenAll(inFlight);
                inFlight.Clear();
            }
        }

        await Task.WhenAll(inFlight);
    }

    public static async Task CloseAsync(IEnumerable<IChatDriver?> clients)
    {
        foreach (var chunk in clients.Where(c => c is not null).Chunk(256))
        {
            await Task.WhenAll(chunk.Select(c => c!.DisposeAsync().AsTask()));
        }
    }
}
