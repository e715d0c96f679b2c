using System.Buffers;

namespace ActorChat.FrontEnd.Sockets;

/// <summary>
/// The upgraded connection under a server WebSocket. While the connection's writer is draining a burst of queued
/// frames it holds every write here, then sends them together: one write and one flush (one syscall) per burst
/// instead of one per frame. Anything else the WebSocket writes (keep-alive pings, a close) goes straight through
/// when no burst is held, and with the burst when one is.
/// </summary>
internal sealed class CoalescingStream(Stream inner) : Stream
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _held = new();
    private volatile bool _holding;

    /// <summary>Writes from now on are held until <see cref="ReleaseAsync"/>.</summary>
    public void Hold() => _holding = true;

    /// <summary>Sends everything held, in one write.</summary>
    public async ValueTask ReleaseAsync()
    {
        await _lock.WaitAsync();
        try
        {
            _holding = false;
            await SendHeldAsync(CancellationToken.None);
        }
        finally
        {
            _lock.Release();
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_holding)
            {
                _held.Write(buffer.Span);
                return;
            }

            await SendHeldAsync(cancellationToken);
            await inner.WriteAsync(buffer, cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (!_holding)
            {
                await SendHeldAsync(cancellationToken);
            }

            await inner.FlushAsync(cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    public override void Flush() => FlushAsync().GetAwaiter().GetResult();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    private async ValueTask SendHeldAsync(CancellationToken cancellationToken)
    {
        if (_held.WrittenCount == 0)
        {
            return;
        }

        await inner.WriteAsync(_held.WrittenMemory, cancellationToken);
        _held.ResetWrittenCount();
    }
}
