using System.Globalization;
using System.Text;

namespace Sllm.Rag;

/// <summary>Finds paragraph, sentence, word and character boundaries inside a range of text.</summary>
/// <remarks>
/// Each method returns the cut positions strictly inside (start, end), in order; the pieces between consecutive cuts
/// are adjacent, so separators stay attached to the piece before them and the pieces cover the range exactly.
/// </remarks>
internal static class TextBoundaries
{
    internal enum Level
    {
        Paragraph = 0,
        Sentence = 1,
        Word = 2,
    }

    internal static List<int> Cuts(string text, int start, int end, Level level) => level switch
    {
        Level.Paragraph => Paragraphs(text, start, end),
        Level.Sentence => Sentences(text, start, end),
        _ => Words(text, start, end),
    };

    /// <summary>After each run of whitespace holding two or more line breaks (a blank line).</summary>
    private static List<int> Paragraphs(string text, int start, int end)
    {
        var cuts = new List<int>();
        int i = start;
        while (i < end)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            int runStart = i;
            int newlines = 0;
            while (i < end && char.IsWhiteSpace(text[i]))
            {
                newlines += text[i] == '\n' ? 1 : 0;
                i++;
            }

            if (newlines >= 2 && runStart > start && i < end)
            {
                cuts.Add(i);
            }
        }

        return cuts;
    }

    /// <summary>
    /// After sentence-ending punctuation followed by whitespace (and any closing quotes or brackets), after CJK full
    /// stops, and after single line breaks.
    /// </summary>
    private static List<int> Sentences(string text, int start, int end)
    {
        var cuts = new List<int>();
        for (int i = start; i < end; i++)
        {
            char c = text[i];
            int cut = -1;
            if (c is '。' or '！' or '？' or '\n')
            {
                cut = SkipWhitespace(text, i + 1, end);
            }
            else if (c is '.' or '!' or '?' or '…')
            {
                int j = i + 1;
                while (j < end && text[j] is '"' or '\'' or ')' or ']' or '”' or '’' or '»')
                {
                    j++;
                }

                if (j < end && char.IsWhiteSpace(text[j]))
                {
                    cut = SkipWhitespace(text, j, end);
                }
            }

            if (cut > start && cut < end && (cuts.Count == 0 || cuts[^1] < cut))
            {
                cuts.Add(cut);
            }
        }

        return cuts;
    }

    /// <summary>After each run of whitespace.</summary>
    private static List<int> Words(string text, int start, int end)
    {
        var cuts = new List<int>();
        int i = start;
        while (i < end)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i = SkipWhitespace(text, i, end);
                if (i < end)
                {
                    cuts.Add(i);
                }
            }
            else
            {
                i++;
            }
        }

        return cuts;
    }

    /// <summary>Every grapheme-cluster boundary strictly inside the range (user-perceived characters).</summary>
    internal static List<int> TextElements(string text, int start, int end)
    {
        var cuts = new List<int>();
        ReadOnlySpan<char> span = text.AsSpan(start, end - start);
        int offset = 0;
        while (offset < span.Length)
        {
            offset += StringInfo.GetNextTextElementLength(span[offset..]);
            if (offset < span.Length)
            {
                cuts.Add(start + offset);
            }
        }

        return cuts;
    }

    /// <summary>Every Unicode scalar boundary strictly inside the range: never between a surrogate pair.</summary>
    internal static List<int> Runes(string text, int start, int end)
    {
        var cuts = new List<int>();
        int i = start;
        while (i < end)
        {
            i += Rune.DecodeFromUtf16(text.AsSpan(i, end - i), out _, out int consumed) == System.Buffers.OperationStatus.Done
                ? consumed
                : 1;
            if (i < end)
            {
                cuts.Add(i);
            }
        }

        return cuts;
    }

    private static int SkipWhitespace(string text, int i, int end)
    {
        while (i < end && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i;
    }
}
