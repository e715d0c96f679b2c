using ActorChat.FrontEnd.Sockets;

namespace ActorChat.Api.Tests;

/// <summary>The upgraded stream that lets a connection's writer send the frames it has queued in one write.</summary>
public sealed class CoalescingStreamTests
{
    [Fact]
    public async Task Frames_written_while_holding_go_out_in_one_write_with_the_first_frame_written_without()
    {
        var inner = new RecordingStream();
        await using var stream = new CoalescingStream(inner);

        stream.Holding = true;
        await stream.WriteAsync("one,"u8.ToArray());
        await stream.FlushAsync();
        await stream.WriteAsync("two,"u8.ToArray());
        await stream.FlushAsync();
        Assert.Empty(inner.Writes);
        Assert.Equal(0, inner.Flushes);

        stream.Holding = false;
        await stream.WriteAsync("three"u8.ToArray());
        await stream.FlushAsync();

        Assert.Equal(["one,two,three"], inner.Writes);
        Assert.Equal(1, inner.Flushes);
        Assert.Equal(0, stream.HeldBytes);
    }

    [Fact]
    public async Task Without_holding_every_write_passes_straight_through()
    {
        var inner = new RecordingStream();
        await using var stream = new CoalescingStream(inner);

        await stream.WriteAsync("a"u8.ToArray());
        await stream.WriteAsync("b"u8.ToArray());

        Assert.Equal(["a", "b"], inner.Writes);
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

        stream.Holding = true;
        await stream.WriteAsync(small);
        await stream.WriteAsync(small);
        Assert.Equal(CoalescingStream.MaxHeldBytes, stream.HeldBytes);
        Assert.Empty(inner.Writes);

        // Over the cap: what was held goes first, then the frame that did not fit, still while holding.
        await stream.WriteAsync(large);

        Assert.Equal(2, inner.Writes.Count);
        Assert.Equal(new string('s', CoalescingStream.MaxHeldBytes), inner.Writes[0]);
        Assert.Equal(new string('L', large.Length), inner.Writes[1]);
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

    /// <summary>Records each write as text and counts flushes; reads come from the given bytes.</summary>
    private sealed class RecordingStream(byte[]? input = null) : MemoryStream(input ?? [])
    {
        public List<string> Writes { get; } = [];

        public int Flushes { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(System.Text.Encoding.UTF8.GetString(buffer.Span));
            return ValueTask.CompletedTask;
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            return Task.CompletedTask;
        }
    }
}
