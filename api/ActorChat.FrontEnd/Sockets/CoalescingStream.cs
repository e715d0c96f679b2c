using System.Buffers;
using ActorChat.FrontEnd.Connections;

namespace ActorChat.FrontEnd.Sockets;

/// <summary>
/// An upgraded connection's stream that can hold WebSocket frames back and write them together. Each write to the
/// server's stream is also a flush, so a socket that had ten frames queued cost ten writes, ten flushes and as many
/// wake-ups of the transport's sender; while <see cref="Holding"/> is set (by the connection's writer, when more
/// frames are queued behind this one) a frame is copied into a pooled buffer instead, and the first write made
/// without it carries them all. Every write comes through the WebSocket's own send lock, one whole frame each, so a
/// ping, pong or close the WebSocket writes meanwhile keeps its place among the frames; such a control frame is
/// never held itself but takes what is held along, since nothing may follow it (a close after a protocol error).
/// Nothing is pooled while the socket is idle.
/// </summary>
internal sealed class CoalescingStream(Stream inner) : Stream
{
    /// <summary>Held frames are written once this many bytes are waiting, holding or not.</summary>
    public const int MaxHeldBytes = IFrameTransport.MaxCoalescedBytes;

    private byte[]? _held;
    private int _length;
    private volatile bool _holding;

    /// <summary>Set before a frame is sent when another follows at once; cleared for the last.</summary>
    public bool Holding
    {
        get => _holding;
        set => _holding = value;
    }

    /// <summary>Bytes held and not yet written; tests read it.</summary>
    internal int HeldBytes => _length;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var hold = _holding && !IsControlFrame(buffer.Span);
        if (_length + buffer.Length <= MaxHeldBytes && (hold || _length > 0))
        {
            Hold(buffer.Span);
            return hold ? ValueTask.CompletedTask : WriteHeldAsync(cancellationToken);
        }

        return _length == 0 ? inner.WriteAsync(buffer, cancellationToken) : WriteHeldThenAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        WriteHeld();
        inner.Write(buffer);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    // The WebSocket flushes after every frame it writes: while holding, that flush waits for the last frame's. With
    // nothing held the flush goes through (after a control frame, or a frame that did not fit).
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _holding && _length > 0 ? Task.CompletedTask : FlushHeldAsync(cancellationToken);

    public override void Flush()
    {
        WriteHeld();
        inner.Flush();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    // An abort disposes the stream from another thread, maybe while a frame is being held: the held buffer is left
    // to the collector then, not returned to the pool under a write that may still copy into it.
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    // A server's frames are unmasked and each write is one whole frame, so the opcode is in the first byte's low bits.
    private static bool IsControlFrame(ReadOnlySpan<byte> frame) => frame.Length > 0 && (frame[0] & 0x0F) >= 0x8;

    private void Hold(ReadOnlySpan<byte> frame)
    {
        _held ??= ArrayPool<byte>.Shared.Rent(MaxHeldBytes);
        frame.CopyTo(_held.AsSpan(_length));
        _length += frame.Length;
    }

    private void WriteHeld()
    {
        if (_length > 0)
        {
            inner.Write(_held.AsSpan(0, _length));
            Release();
        }
    }

    private async Task FlushHeldAsync(CancellationToken cancellationToken)
    {
        if (_length > 0)
        {
            await WriteHeldAsync(cancellationToken);
        }

        await inner.FlushAsync(cancellationToken);
    }

    private async ValueTask WriteHeldAsync(CancellationToken cancellationToken)
    {
        try
        {
            await inner.WriteAsync(_held.AsMemory(0, _length), cancellationToken);
        }
        finally
        {
            Release();
        }
    }

    private async ValueTask WriteHeldThenAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await WriteHeldAsync(cancellationToken);
        await WriteAsync(buffer, cancellationToken);
    }

    // Returned to the pool as soon as it was written, so an idle socket holds no buffer.
    // Called under the WebSocket's send lock only, like every write.
    private void Release()
    {
        _length = 0;
        if (_held is { } held)
        {
            _held = null;
            ArrayPool<byte>.Shared.Return(held);
        }
    }
}
