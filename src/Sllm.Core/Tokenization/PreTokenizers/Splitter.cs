using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.PreTokenizers;

/// <summary>Turns delimiter matches into pieces according to a <see cref="SplitBehavior"/> (the Rust semantics).</summary>
internal static class Splitter
{
    /// <summary>Emits the pieces of <paramref name="text"/> given its non-empty, ordered delimiter matches.</summary>
    public static void Emit(ReadOnlySpan<char> text, List<(int Start, int Length)> matches, SplitBehavior behavior, bool invert, PieceList output)
    {
        // Build the alternating (span, isMatch) sequence once, then fold it per behaviour.
        Span<(int Start, int End, bool IsMatch)> parts = matches.Count * 2 + 1 <= 128
            ? stackalloc (int, int, bool)[matches.Count * 2 + 1]
            : new (int, int, bool)[matches.Count * 2 + 1];
        int count = 0, last = 0;
        foreach ((int start, int length) in matches)
        {
            if (start > last)
            {
                parts[count++] = (last, start, invert);
            }

            parts[count++] = (start, start + length, !invert);
            last = start + length;
        }

        if (last < text.Length)
        {
            parts[count++] = (last, text.Length, invert);
        }

        parts = parts[..count];
        switch (behavior)
        {
            case SplitBehavior.Removed:
                foreach ((int s, int e, bool m) in parts)
                {
                    if (!m)
                    {
                        output.Add(text[s..e]);
                    }
                }

                break;
            case SplitBehavior.Isolated:
                foreach ((int s, int e, _) in parts)
                {
                    output.Add(text[s..e]);
                }

                break;
            case SplitBehavior.MergedWithPrevious:
                MergeForward(text, parts, mergeAfterMatch: false, output);
                break;

            case SplitBehavior.MergedWithNext:
                {
                    // Mirror image of MergedWithPrevious: fold from the right, then emit left to right.
                    Span<(int Start, int End)> merged = parts.Length <= 128 ? stackalloc (int, int)[parts.Length] : new (int, int)[parts.Length];
                    int n = 0;
                    bool previousMatch = false;
                    for (int k = parts.Length - 1; k >= 0; k--)
                    {
                        (int s, int e, bool m) = parts[k];
                        if (m && !previousMatch && n > 0)
                        {
                            merged[n - 1].Start = s;
                        }
                        else
                        {
                            merged[n++] = (s, e);
                        }

                        previousMatch = m;
                    }

                    for (int k = n - 1; k >= 0; k--)
                    {
                        output.Add(text[merged[k].Start..merged[k].End]);
                    }

                    break;
                }

            case SplitBehavior.Contiguous:
                MergeForward(text, parts, mergeAfterMatch: true, output);
                break;
        }
    }

    /// <summary>
    /// Folds each match into the piece before it: after a non-match (MergedWithPrevious) or after another match
    /// (Contiguous, where consecutive matches become one piece).
    /// </summary>
    private static void MergeForward(ReadOnlySpan<char> text, ReadOnlySpan<(int Start, int End, bool IsMatch)> parts, bool mergeAfterMatch, PieceList output)
    {
        int curStart = -1, curEnd = -1;
        bool previousMatch = false;
        foreach ((int s, int e, bool m) in parts)
        {
            if (m && previousMatch == mergeAfterMatch && curStart >= 0)
            {
                curEnd = e;
            }
            else
            {
                if (curStart >= 0)
                {
                    output.Add(text[curStart..curEnd]);
                }

                (curStart, curEnd) = (s, e);
            }

            previousMatch = m;
        }

        if (curStart >= 0)
        {
            output.Add(text[curStart..curEnd]);
        }
    }
}
