using System.Net.WebSockets;
using System.Text.Json;
using ActorChat.Bench.Servers;

namespace ActorChat.Bench.Scenarios;

/// <summary>
/// The attack of issue 11: <c>--sockets</c> (give 1 or 20) sockets of one user that never read, each asking for 150 pages of
/// 200 history messages of 4,000 Chinese characters (2.4 MB a page). Every reply must count against the socket's
/// outbound cap (the server's defaults, not the bench's lifted ones), so the server stops reading the socket's
/// requests instead of queueing gigabytes: growth of the server's resident memory after 20 s is the figure.
/// </summary>
internal static class StalledReaderScenario
{
    private const int Pages = 150;
    private const int PageSize = 200;

    public static async Task RunAsync(ServerUnderTest server, BenchOptions options, int run, List<Result> results, CancellationToken cancellationToken)
    {
        if (!server.SpeaksActorChat)
        {
            Console.Error.WriteLine($"  stalled-reader: {server.Kind} keeps no history; skipped");
            return;
        }

        var room = $"stalled-{run}-{Guid.NewGuid():N}"[..20];
        var text = string.Concat(Enumerable.Repeat("轮询与推送实时聊天服务器消息房间用户连接", 200));
        await using (var writer = await server.ConnectAsync("stalled-writer", cancellationToken))
        {
            await writer.JoinAsync(room);
            for (var i = 0; i < PageSize; i++)
            {
                await writer.SendAsync(room, text);
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        var before = server.ResidentBytes();
        var heapBefore = await server.ManagedHeapBytesAsync();
        var sockets = new List<ClientWebSocket>();
        var asked = new int[options.Sockets];
        var senders = new List<Task>();
        try
        {
            for (var s = 0; s < options.Sockets; s++)
            {
                var socket = await server.StalledAsync("stalled-reader", room, cancellationToken);
                sockets.Add(socket);
                var index = s;

                // Never reads; writes its requests until the server stops reading them (back-pressure) or all are out.
                senders.Add(Task.Run(async () =>
                {
                    for (var page = 0; page < Pages; page++)
                    {
                        var request = JsonSerializer.SerializeToUtf8Bytes(new { id = $"h{page}", type = "history", room, limit = PageSize });
                        await socket.SendAsync(request, WebSocketMessageType.Text, true, CancellationToken.None);
                        Interlocked.Increment(ref asked[index]);
                    }
                }, CancellationToken.None));
            }

            await Task.Delay(TimeSpan.FromSeconds(20), cancellationToken);
            var after = server.ResidentBytes();
            var growth = (after - before) / 1048576.0;
            var heapGrowth = (await server.ManagedHeapBytesAsync() - heapBefore) / 1048576.0;
            Console.Error.WriteLine($"  {server.Kind}: {options.Sockets} stalled socket(s), {asked.Sum()} of {Pages * options.Sockets} history requests written, resident memory +{growth:0.0} MiB, managed heap (last GC) +{heapGrowth:0.0} MiB");
            results.Add(new Result("stalled-reader", server.Kind, run, $"memory growth, {options.Sockets} stalled socket(s)", growth, "MiB"));
            results.Add(new Result("stalled-reader", server.Kind, run, $"managed heap growth, {options.Sockets} stalled socket(s)", heapGrowth, "MiB"));
            results.Add(new Result("stalled-reader", server.Kind, run, "history requests the server took", asked.Sum(), "requests"));
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Abort();
            }

            // Writers still blocked on a stalled socket fail with the abort; that is their end, not an error.
            try
            {
                await Task.WhenAll(senders);
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
            {
            }

            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }
}
