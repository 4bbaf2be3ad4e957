using System.Buffers;
using System.Text;

namespace ReplyDrafter.Vault;

/// <summary>
/// A text's UTF-8 bytes in a buffer borrowed from the shared pool. Every file we write and every hash we take encodes
/// a text of many kilobytes once; a fresh array each time was a tenth of an email's garbage.
/// </summary>
internal readonly ref struct PooledUtf8
{
    private readonly byte[] _buffer;
    private readonly int _length;

    public PooledUtf8(string text, Encoding encoding)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(encoding);
        _buffer = ArrayPool<byte>.Shared.Rent(encoding.GetByteCount(text));
        _length = encoding.GetBytes(text, _buffer);
    }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
}
