using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sllm.Tokenization.Text;

/// <content>Per-character source ranges, kept only when offsets are wanted.</content>
internal sealed partial class PieceList
{
    private int[]? _srcStart;
    private int[]? _srcEnd;
    private string? _originText;
    private PieceList? _originList;

    /// <summary>Gets whether characters record their source range.</summary>
    public bool TracksSources => _srcStart is not null;

    /// <summary>Records sources: characters taken from <paramref name="origin"/> map to their index in it.</summary>
    public void TrackSources(string origin)
    {
        EnableSources();
        _originText = origin;
        _originList = null;
    }

    /// <summary>Records sources: characters taken from <paramref name="input"/>'s pieces keep their source range.</summary>
    public void TrackSources(PieceList input)
    {
        EnableSources();
        _originList = input;
        _originText = null;
    }

    /// <summary>Gives this list the same origin as <paramref name="other"/> (when it tracks sources).</summary>
    public void TrackSourcesLike(PieceList other)
    {
        if (other._originList is not null)
        {
            TrackSources(other._originList);
        }
        else if (other._originText is not null)
        {
            TrackSources(other._originText);
        }
    }

    /// <summary>Returns the source range of piece <paramref name="index"/>'s characters [from, to).</summary>
    public (int Start, int End) SourceRange(int index, int from, int to)
    {
        int start = _pieces[index].Start;
        if (to <= from)
        {
            int at = from < _pieces[index].Length ? _srcStart![start + from] : _srcEnd![start + _pieces[index].Length - 1];
            return (at, at);
        }

        int min = int.MaxValue, max = int.MinValue;
        for (int k = start + from; k < start + to; k++)
        {
            min = Math.Min(min, _srcStart![k]);
            max = Math.Max(max, _srcEnd![k]);
        }

        return (min, max);
    }

    private void EnableSources()
    {
        if (_srcStart is null)
        {
            _srcStart = ArrayPool<int>.Shared.Rent(_chars.Length);
            _srcEnd = ArrayPool<int>.Shared.Rent(_chars.Length);
        }
    }

    private void ReturnSources()
    {
        if (_srcStart is not null)
        {
            ArrayPool<int>.Shared.Return(_srcStart);
            ArrayPool<int>.Shared.Return(_srcEnd!);
            _srcStart = _srcEnd = null;
        }
    }

    private void GrowSources(int size)
    {
        if (_srcStart is null || _srcStart.Length >= size)
        {
            return;
        }

        int[] start = ArrayPool<int>.Shared.Rent(size), end = ArrayPool<int>.Shared.Rent(size);
        _srcStart.AsSpan(0, _charCount).CopyTo(start);
        _srcEnd.AsSpan(0, _charCount).CopyTo(end);
        ReturnSources();
        (_srcStart, _srcEnd) = (start, end);
    }

    /// <summary>Writes the sources of <paramref name="text"/> (when it lies in the origin) at <paramref name="at"/>.</summary>
    private void Resolve(ReadOnlySpan<char> text, int at)
    {
        GrowSources(at + text.Length);
        if (_originText is not null && TryIndex(_originText.AsSpan(), text, out int index))
        {
            for (int k = 0; k < text.Length; k++)
            {
                (_srcStart![at + k], _srcEnd![at + k]) = (index + k, index + k + 1);
            }

            return;
        }

        if (_originList is { } list && TryIndex(list._chars, text, out index))
        {
            list._srcStart.AsSpan(index, text.Length).CopyTo(_srcStart.AsSpan(at));
            list._srcEnd.AsSpan(index, text.Length).CopyTo(_srcEnd.AsSpan(at));
            return;
        }

        _srcStart.AsSpan(at, text.Length).Fill(-1);
    }

    private (int Start, int End) ResolveRange(ReadOnlySpan<char> source)
    {
        if (_originText is not null && TryIndex(_originText.AsSpan(), source, out int index))
        {
            return (index, index + source.Length);
        }

        if (_originList is { } list && TryIndex(list._chars, source, out index) && source.Length > 0)
        {
            int min = int.MaxValue, max = int.MinValue;
            for (int k = index; k < index + source.Length; k++)
            {
                min = Math.Min(min, list._srcStart![k]);
                max = Math.Max(max, list._srcEnd![k]);
            }

            return (min, max);
        }

        return (-1, -1);
    }

    /// <summary>Gives characters without a source the range of the next (else previous) character that has one.</summary>
    private void FillInserted(int from, int to)
    {
        GrowSources(to);
        int next = -1;
        for (int k = to - 1; k >= from; k--)
        {
            if (_srcStart![k] >= 0)
            {
                next = k;
            }
            else if (next >= 0)
            {
                (_srcStart[k], _srcEnd![k]) = (_srcStart[next], _srcEnd![next]);
            }
        }

        int previous = -1;
        for (int k = from; k < to; k++)
        {
            if (_srcStart![k] >= 0)
            {
                previous = k;
            }
            else
            {
                (_srcStart[k], _srcEnd![k]) = previous >= 0 ? (_srcEnd![previous], _srcEnd[previous]) : (0, 0);
            }
        }
    }

    private static bool TryIndex(ReadOnlySpan<char> origin, ReadOnlySpan<char> slice, out int index)
    {
        nint offset = Unsafe.ByteOffset(ref MemoryMarshal.GetReference(origin), ref MemoryMarshal.GetReference(slice)) / sizeof(char);
        index = (int)offset;
        return offset >= 0 && offset + slice.Length <= origin.Length;
    }
}
