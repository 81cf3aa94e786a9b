using System.Buffers;

namespace Sllm.Tokenization.Text;

/// <summary>
/// The pre-tokens of one text section: pieces stored back to back in one pooled character buffer. Pre-tokenizers
/// read one list and append to another, so splitting a section allocates no strings.
/// </summary>
/// <remarks>
/// Not thread-safe; owned by one encode call. <see cref="Dispose"/> returns the buffer to the pool. When offsets are
/// wanted (<see cref="TrackSources(string)"/> or <see cref="TrackSources(PieceList)"/>), every character also records
/// the range of the section it came from: characters added as a slice of the origin (the section string or the input
/// list's buffer) are resolved by their address, so splitting pre-tokenizers need no change; characters appended
/// without a source (an inserted prefix) take the range of the next character of their piece.
/// </remarks>
internal sealed partial class PieceList : IDisposable
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

    /// <summary>Adds a whole piece whose characters all come from <paramref name="source"/> (a slice of the origin).</summary>
    public void Add(ReadOnlySpan<char> piece, ReadOnlySpan<char> source)
    {
        if (piece.IsEmpty)
        {
            return;
        }

        int first = _charCount;
        Append(piece);
        if (_srcStart is not null)
        {
            (int start, int end) = ResolveRange(source);
            for (int k = first; k < _charCount; k++)
            {
                (_srcStart[k], _srcEnd![k]) = (start, end);
            }
        }

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
        if (_srcStart is not null)
        {
            Resolve(text, _charCount);
        }

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
        if (_srcStart is not null)
        {
            _srcStart[_charCount] = -1;
        }

        _chars[_charCount++] = c;
    }

    /// <summary>Appends a character standing for <paramref name="source"/> (a slice of the origin).</summary>
    public void Append(char c, ReadOnlySpan<char> source)
    {
        Append(c);
        if (_srcStart is not null)
        {
            (_srcStart[_charCount - 1], _srcEnd![_charCount - 1]) = ResolveRange(source);
        }
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
            if (_srcStart is not null)
            {
                FillInserted(_openStart, _charCount);
            }

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
        ReturnSources();
        ArrayPool<char>.Shared.Return(_chars);
        ArrayPool<(int, int)>.Shared.Return(_pieces);
        _chars = [];
        _pieces = [];
    }

    private void EnsureChars(int extra)
    {
        GrowSources(_charCount + extra);
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
