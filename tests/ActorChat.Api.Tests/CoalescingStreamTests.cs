using ActorChat.FrontEnd.Sockets;

namespace ActorChat.Api.Tests;

public sealed class CoalescingStreamTests
{
    [Fact]
    public async Task Held_writes_reach_the_connection_in_one_write_when_released_and_others_pass_straight_through()
    {
        var inner = new RecordingStream();
        await using var stream = new CoalescingStream(inner);

        await stream.WriteAsync("ping"u8.ToArray());
        Assert.Equal(["ping"], inner.Writes);

        stream.Hold();
        await stream.WriteAsync("a"u8.ToArray());
        await stream.WriteAsync("bc"u8.ToArray());
        await stream.WriteAsync("def"u8.ToArray());
        Assert.Single(inner.Writes);

        await stream.ReleaseAsync();
        Assert.Equal(["ping", "abcdef"], inner.Writes);

        // After a release, writes go straight through again (a close frame, say), and releasing nothing writes nothing.
        await stream.WriteAsync("close"u8.ToArray());
        await stream.ReleaseAsync();
        Assert.Equal(["ping", "abcdef", "close"], inner.Writes);
    }

    [Fact]
    public async Task Reads_pass_through_untouched()
    {
        var inner = new RecordingStream("incoming"u8.ToArray());
        await using var stream = new CoalescingStream(inner);
        var buffer = new byte[16];
        var read = await stream.ReadAsync(buffer);
        Assert.Equal("incoming", System.Text.Encoding.UTF8.GetString(buffer, 0, read));
    }

    /// <summary>A stream that remembers each write as one entry, as a socket would see each send.</summary>
    private sealed class RecordingStream(byte[]? incoming = null) : MemoryStream(incoming ?? [])
    {
        public List<string> Writes { get; } = [];

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(System.Text.Encoding.UTF8.GetString(buffer.Span));
            return ValueTask.CompletedTask;
        }
    }
}
