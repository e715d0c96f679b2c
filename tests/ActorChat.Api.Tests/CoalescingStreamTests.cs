using System.Net.WebSockets;
using System.Text;
using ActorChat.FrontEnd.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorChat.Api.Tests;

/// <summary>The upgraded stream that lets a connection's writer send the frames it has queued in one write.</summary>
public sealed class CoalescingStreamTests
{
    private static readonly string[] HeldTexts = ["one", "two", "three"];

    [Fact]
    public async Task Frames_written_while_holding_go_out_in_one_write_with_the_first_frame_written_without()
    {
        var inner = new RecordingStream();
        await using var stream = new CoalescingStream(inner);

        stream.Holding = true;
        await stream.WriteAsync(Text("one"));
        await stream.FlushAsync();
        await stream.WriteAsync(Text("two"));
        await stream.FlushAsync();
        Assert.Empty(inner.Writes);
        Assert.Equal(0, inner.Flushes);

        stream.Holding = false;
        await stream.WriteAsync(Text("three"));
        await stream.FlushAsync();

        Assert.Equal([Decode([.. Text("one"), .. Text("two"), .. Text("three")])], inner.Writes);
        Assert.Equal(1, inner.Flushes);
        Assert.Equal(0, stream.HeldBytes);
    }

    [Fact]
    public async Task A_control_frame_written_while_holding_is_not_held_and_takes_the_held_frames_along()
    {
        var inner = new RecordingStream();
        await using var stream = new CoalescingStream(inner);
        byte[] text = [0x81, 0x02, (byte)'h', (byte)'i'];
        byte[] close = [0x88, 0x02, 0x03, 0xEA];

        stream.Holding = true;
        await stream.WriteAsync(text);
        await stream.FlushAsync();
        Assert.Empty(inner.Writes);

        // A close after a protocol error: the writer may never write another frame, so nothing may wait for one.
        await stream.WriteAsync(close);
        await stream.FlushAsync();

        Assert.Equal([Decode([.. text, .. close])], inner.Writes);
        Assert.Equal(1, inner.Flushes);
    }

    [Fact]
    public async Task Installed_ahead_of_the_WebSocket_middleware_on_Kestrel_it_is_what_the_socket_writes_through()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        var heldAfterThree = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Use(CoalescingUpgrade.Install);
        app.UseWebSockets();
        app.Map("/ws", async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var stream = context.Features.Get<CoalescingStream>()!;
            stream.Holding = true;
            foreach (var text in HeldTexts)
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
            }

            heldAfterThree.SetResult(stream.HeldBytes);
            stream.Holding = false;
            await socket.SendAsync("four"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            while ((await socket.ReceiveAsync(new byte[16], CancellationToken.None)).MessageType != WebSocketMessageType.Close)
            {
            }
        });
        await app.StartAsync();
        var address = app.Urls.Single();

        using var client = new ClientWebSocket();
        await client.ConnectAsync(new Uri(address.Replace("http", "ws", StringComparison.Ordinal) + "/ws"), CancellationToken.None);
        var received = new List<string>();
        var buffer = new byte[64];
        while (true)
        {
            var result = await client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            received.Add(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }

        // The three frames (2-byte headers, unmasked) were held, not written, though the WebSocket flushed after each.
        Assert.Equal(3 * 2 + "onetwothree".Length, await heldAfterThree.Task);
        Assert.Equal(["one", "two", "three", "four"], received);
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await app.StopAsync();
    }

    [Fact]
    public async Task Without_holding_every_write_passes_straight_through()
    {
        var inner = new RecordingStream();
        await using var stream = new CoalescingStream(inner);

        await stream.WriteAsync(Text("a"));
        await stream.WriteAsync(Text("b"));

        Assert.Equal([Decode(Text("a")), Decode(Text("b"))], inner.Writes);
    }

    [Fact]
    public async Task Held_bytes_never_exceed_the_cap_and_a_frame_larger_than_it_is_written_after_them()
    {
        var inner = new RecordingStream();
        await using var stream = new CoalescingStream(inner);
        var small = new byte[CoalescingStream.MaxHeldBytes / 2];
        var large = new byte[CoalescingStream.MaxHeldBytes * 2];
        small.AsSpan().Fill((byte)'s');
        large.AsSpan().Fill((byte)'L');
        small[0] = large[0] = 0x81;

        stream.Holding = true;
        await stream.WriteAsync(small);
        await stream.WriteAsync(small);
        Assert.Equal(CoalescingStream.MaxHeldBytes, stream.HeldBytes);
        Assert.Empty(inner.Writes);

        // Over the cap: what was held goes first, then the frame that did not fit, still while holding.
        await stream.WriteAsync(large);

        Assert.Equal(2, inner.Writes.Count);
        Assert.Equal(Decode([.. small, .. small]), inner.Writes[0]);
        Assert.Equal(Decode(large), inner.Writes[1]);
        Assert.Equal(0, stream.HeldBytes);
    }

    [Fact]
    public async Task Reads_pass_through_untouched()
    {
        var inner = new RecordingStream("hello"u8.ToArray());
        await using var stream = new CoalescingStream(inner);
        var buffer = new byte[16];

        var read = await stream.ReadAsync(buffer);

        Assert.Equal("hello", System.Text.Encoding.UTF8.GetString(buffer, 0, read));
    }

    // A server's text frame of a short payload: FIN and opcode 1, the length, the payload.
    private static byte[] Text(string payload) => [0x81, (byte)payload.Length, .. System.Text.Encoding.UTF8.GetBytes(payload)];

    private static string Decode(byte[] bytes) => Convert.ToHexString(bytes);

    /// <summary>Records each write (in hex) and counts flushes; reads come from the given bytes.</summary>
    private sealed class RecordingStream(byte[]? input = null) : MemoryStream(input ?? [])
    {
        public List<string> Writes { get; } = [];

        public int Flushes { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(Convert.ToHexString(buffer.Span));
            return ValueTask.CompletedTask;
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            return Task.CompletedTask;
        }
    }
}
