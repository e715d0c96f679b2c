using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

namespace ActorChat.Bench.Baselines;

/// <summary>
/// BASELINE, not the product: the least a WebSocket broadcast server can do on Kestrel. No actors, no storage,
/// no auth; each message is serialized once and queued to every socket of the room (a writer loop per socket,
/// like ActorChat's, so a slow socket does not stall the others). It speaks just enough of ActorChat's protocol
/// (join, send, message) for the same load: the ceiling on this machine.
/// </summary>
internal static class RawServer
{
    public static async Task RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.UseWebSockets();
        var rooms = new ConcurrentDictionary<string, RoomState>(StringComparer.Ordinal);
        app.MapGet("/health/ready", () => "Healthy");
        app.Map("/ws", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await ServeAsync(socket, context.Request.Query["user"].ToString(), rooms);
        });
        await app.RunAsync();
    }

    private static async Task ServeAsync(WebSocket socket, string user, ConcurrentDictionary<string, RoomState> rooms)
    {
        var outbox = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(1024) { SingleReader = true });
        var writer = Task.Run(async () =>
        {
            try
            {
                await foreach (var frame in outbox.Reader.ReadAllAsync())
                {
                    await socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
                }
            }
            catch (WebSocketException)
            {
            }
        });
        var joined = new List<RoomState>();
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                using var document = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
                var root = document.RootElement;
                var id = root.TryGetProperty("id", out var idElement) ? idElement.GetString() : null;
                var room = root.GetProperty("room").GetString()!;
                var state = rooms.GetOrAdd(room, _ => new RoomState());
                switch (root.GetProperty("type").GetString())
                {
                    case "join":
                        lock (state)
                        {
                            state.Members.Add(outbox.Writer);
                        }

                        joined.Add(state);
                        outbox.Writer.TryWrite(JsonSerializer.SerializeToUtf8Bytes(new { type = "ok", id, room, lastSeq = state.Seq }));
                        break;
                    case "send":
                        var text = root.GetProperty("text").GetString();
                        byte[] frame;
                        ChannelWriter<byte[]>[] members;
                        long seq;
                        lock (state)
                        {
                            seq = ++state.Seq;
                            members = [.. state.Members];
                        }

                        frame = JsonSerializer.SerializeToUtf8Bytes(new { type = "message", room, seq, from = user, text });
                        foreach (var member in members)
                        {
                            member.TryWrite(frame);
                        }

                        outbox.Writer.TryWrite(JsonSerializer.SerializeToUtf8Bytes(new { type = "ok", id, room, seq }));
                        break;
                }
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            foreach (var state in joined)
            {
                lock (state)
                {
                    state.Members.Remove(outbox.Writer);
                }
            }

            outbox.Writer.TryComplete();
            await writer;
        }
    }

    private sealed class RoomState
    {
        public long Seq { get; set; }

        public HashSet<ChannelWriter<byte[]>> Members { get; } = [];
    }
}
