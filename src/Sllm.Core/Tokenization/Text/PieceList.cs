using System.Buffers;

namespace Sllm.Tokenization.Text;

/// <summary>
/// The pre-tokens of one text section: pieces stored back to back in one pooled character buffer. Pre-tokenizers
/// read one list and append to another, so splitting a section allocates no strings.
/// </summary>
/// <remarks>Not thread-safe; owned by one encode call. <see cref="Dispose"/> returns the buffer to the pool.</remarks>
internal sealed class PieceList : IDisposable
{
    private char[] _chars;
    private int _charCount;
    private (int Start, int Length)[] _pieces;
    private int _pieceCount;
    private int _openStart = -1;

    public PieceList(int capacity = 256)
    {
        _chars = ArrayPool<char>.Shared.Rent(Math.Max(16, capacity));
        _pieces = ArrayPool<(int, int)>.Shared.Rent(16);
    }

    public int Count => _pieceCount;

    public ReadOnlySpan<char> this[int index]
    {
        get
        {
            (int start, int length) = _pieces[index];
            return _chars.AsSpan(start, length);
        }
    }

    public void Clear()
    {
        _charCount = 0;
        _pieceCount = 0;
        _openStart = -1;
    }

    /// <summary>Adds a whole piece (ignored when empty).</summary>
    public void Add(ReadOnlySpan<char> piece)
    {
        if (piece.IsEmpty)
        {
            return;
        }

        Append(piece);
        Commit();
    }

    /// <summary>Appends characters to the piece being built.</summary>
    public void Append(ReadOnlySpan<char> text)
    {
        if (_openStart < 0)
        {
            _openStart = _charCount;
        }

        EnsureChars(text.Length);
        text.CopyTo(_chars.AsSpan(_charCount));
        _charCount += text.Length;
    }

    /// <summary>Appends one character to the piece being built.</summary>
    public void Append(char c)
    {
        if (_openStart < 0)
        {
            _openStart = _charCount;
        }

        EnsureChars(1);
        _chars[_charCount++] = c;
    }

    /// <summary>Ends the piece being built (ignored when empty).</summary>
    public void Commit()
    {
        if (_openStart < 0)
        {
            return;
        }

        int length = _charCount - _openStart;
        if (length > 0)
        {
            if (_pieceCount == _pieces.Length)
            {
                var bigger = ArrayPool<(int, int)>.Shared.Rent(_pieces.Length * 2);
                _pieces.AsSpan(0, _pieceCount).CopyTo(bigger);
                ArrayPool<(int, int)>.Shared.Return(_pieces);
                _pieces = bigger;
            }

            _pieces[_pieceCount++] = (_openStart, length);
        }

        _openStart = -1;
    }

    public void Dispose()
    {
        ArrayPool<char>.Shared.Return(_chars);
        ArrayPool<(int, int)>.Shared.Return(_pieces);
        _chars = [];
        _pieces = [];
    }

    private void EnsureChars(int extra)
    {
        if (_charCount + extra <= _chars.Length)
        {
            return;
        }

        var bigger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, _charCount + extra));
        _chars.AsSpan(0, _charCount).CopyTo(bigger);
        ArrayPool<char>.Shared.Return(_chars);
        _chars = bigger;
    }
}
