using System.Buffers;

namespace ActorChat.Client;

/// <summary>
/// A growable byte buffer on <see cref="ArrayPool{T}"/>: frames are written and read in rented arrays that go back to
/// the pool when the frame is done, so a busy connection does not allocate an array per frame.
/// </summary>
internal sealed class PooledBuffer(int initialSize = 4096) : IBufferWriter<byte>, IDisposable
{
    private byte[] _array = ArrayPool<byte>.Shared.Rent(initialSize);

    public int Count { get; private set; }

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, Count);

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, Count);

    /// <summary>Room for at least <paramref name="sizeHint"/> more bytes (at least one).</summary>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _array.AsMemory(Count);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _array.AsSpan(Count);
    }

    public void Advance(int count) => Count += count;

    public void Dispose()
    {
        var array = _array;
        _array = [];
        Count = 0;
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private void Reserve(int sizeHint)
    {
        var needed = Count + Math.Max(sizeHint, 1);
        if (needed <= _array.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _array.Length * 2));
        _array.AsSpan(0, Count).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = larger;
    }
}
