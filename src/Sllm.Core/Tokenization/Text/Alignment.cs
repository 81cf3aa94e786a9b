using System.Globalization;

namespace Sllm.Tokenization.Text;

/// <summary>
/// Where each character of a normalized text came from: <c>Starts[k]..Ends[k]</c> is the range of the input that
/// normalized character <c>k</c> stands for (empty for an inserted character with nothing to stand for).
/// </summary>
/// <remarks>Immutable once built; one per normalized section of an offsets-tracking encode.</remarks>
internal sealed class Alignment
{
    private Alignment(int[] starts, int[] ends, int inputLength)
    {
        Starts = starts;
        Ends = ends;
        InputLength = inputLength;
    }

    public int[] Starts { get; }

    public int[] Ends { get; }

    public int InputLength { get; }

    public static Alignment Identity(int length)
    {
        var starts = new int[length];
        var ends = new int[length];
        for (int k = 0; k < length; k++)
        {
            (starts[k], ends[k]) = (k, k + 1);
        }

        return new Alignment(starts, ends, length);
    }

    public static Alignment Create(int[] starts, int[] ends, int inputLength) => new(starts, ends, inputLength);

    /// <summary>
    /// Aligns <paramref name="output"/> = <paramref name="normalize"/>(<paramref name="input"/>) for a normalizer that
    /// works character by character (Unicode forms, case mapping, accent stripping, trimming): unchanged text maps one
    /// to one; a trimmed text maps by its position; otherwise the input is cut before every character that starts a
    /// new combining sequence and each cut is normalized alone, which maps each output character to its cut when the
    /// pieces add up to the output; failing that, the common prefix and suffix map one to one and the rest to the rest.
    /// </summary>
    public static Alignment Generic(string input, string output, Func<string, string> normalize)
    {
        if (string.Equals(input, output, StringComparison.Ordinal))
        {
            return Identity(input.Length);
        }

        var starts = new int[output.Length];
        var ends = new int[output.Length];
        int found = input.IndexOf(output, StringComparison.Ordinal);
        if (found >= 0 && output.Length > 0)
        {
            for (int k = 0; k < output.Length; k++)
            {
                (starts[k], ends[k]) = (found + k, found + k + 1);
            }

            return new Alignment(starts, ends, input.Length);
        }

        if (TrySegments(input, output, normalize, starts, ends))
        {
            return new Alignment(starts, ends, input.Length);
        }

        int prefix = 0;
        while (prefix < input.Length && prefix < output.Length && input[prefix] == output[prefix])
        {
            prefix++;
        }

        int suffix = 0;
        while (suffix < input.Length - prefix && suffix < output.Length - prefix && input[^(suffix + 1)] == output[^(suffix + 1)])
        {
            suffix++;
        }

        for (int k = 0; k < output.Length; k++)
        {
            if (k < prefix)
            {
                (starts[k], ends[k]) = (k, k + 1);
            }
            else if (k >= output.Length - suffix)
            {
                int i = input.Length - (output.Length - k);
                (starts[k], ends[k]) = (i, i + 1);
            }
            else
            {
                (starts[k], ends[k]) = (prefix, input.Length - suffix);
            }
        }

        return new Alignment(starts, ends, input.Length);
    }

    /// <summary>Maps this alignment (of a text B to text A) through <paramref name="inner"/> (of A to the original).</summary>
    public Alignment Compose(Alignment inner)
    {
        var starts = new int[Starts.Length];
        var ends = new int[Starts.Length];
        for (int k = 0; k < Starts.Length; k++)
        {
            (starts[k], ends[k]) = inner.Map(Starts[k], Ends[k]);
        }

        return new Alignment(starts, ends, inner.InputLength);
    }

    /// <summary>Returns the input range that output characters [start, end) stand for.</summary>
    public (int Start, int End) Map(int start, int end)
    {
        if (end <= start)
        {
            int at = start < Starts.Length ? Starts[start] : (Starts.Length > 0 ? Ends[^1] : 0);
            return (at, at);
        }

        int min = int.MaxValue, max = int.MinValue;
        for (int k = start; k < end; k++)
        {
            min = Math.Min(min, Starts[k]);
            max = Math.Max(max, Ends[k]);
        }

        return (min, max);
    }

    private static bool TrySegments(string input, string output, Func<string, string> normalize, int[] starts, int[] ends)
    {
        int written = 0;
        int segmentStart = 0;
        for (int i = 1; i <= input.Length; i++)
        {
            if (i < input.Length && !StartsSegment(input, i))
            {
                continue;
            }

            string piece = normalize(input[segmentStart..i]);
            if (written + piece.Length > output.Length || !output.AsSpan(written, piece.Length).SequenceEqual(piece))
            {
                return false;
            }

            AlignSegment(input.AsSpan(segmentStart, i - segmentStart), piece, segmentStart, starts.AsSpan(written), ends.AsSpan(written));

            written += piece.Length;
            segmentStart = i;
        }

        return written == output.Length;
    }

    /// <summary>
    /// Within one cut, characters of the common prefix and suffix map one to one (an unchanged cut entirely), the
    /// rest to the rest: a composed character stands for its base and marks.
    /// </summary>
    private static void AlignSegment(ReadOnlySpan<char> input, ReadOnlySpan<char> output, int offset, Span<int> starts, Span<int> ends)
    {
        int prefix = input.CommonPrefixLength(output);
        int suffix = 0;
        while (suffix < input.Length - prefix && suffix < output.Length - prefix && input[^(suffix + 1)] == output[^(suffix + 1)])
        {
            suffix++;
        }

        for (int k = 0; k < output.Length; k++)
        {
            if (k < prefix)
            {
                (starts[k], ends[k]) = (offset + k, offset + k + 1);
            }
            else if (k >= output.Length - suffix)
            {
                int at = offset + input.Length - (output.Length - k);
                (starts[k], ends[k]) = (at, at + 1);
            }
            else
            {
                (starts[k], ends[k]) = (offset + prefix, offset + input.Length - suffix);
            }
        }
    }

    private static bool StartsSegment(string s, int i)
    {
        char c = s[i];
        if (char.IsLowSurrogate(c) && char.IsHighSurrogate(s[i - 1]))
        {
            return false;
        }

        if (c is '\u200d' or (>= '\ufe00' and <= '\ufe0f') or (>= '\u1160' and <= '\u11ff') || s[i - 1] == '\u200d')
        {
            return false;
        }

        UnicodeCategory category = char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])
            ? CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, s[i + 1]))
            : CharUnicodeInfo.GetUnicodeCategory(c);
        return category is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark);
    }
}
