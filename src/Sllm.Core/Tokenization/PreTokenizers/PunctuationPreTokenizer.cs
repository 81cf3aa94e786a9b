using System.Globalization;
using System.Text;
using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.PreTokenizers;

/// <summary>Splits on punctuation (ASCII punctuation or Unicode category P*) with a <see cref="SplitBehavior"/>.</summary>
internal sealed class PunctuationPreTokenizer(SplitBehavior behavior) : TextPreTokenizer
{
    [ThreadStatic]
    private static List<(int Start, int Length)>? t_matches;

    public static bool IsPunctuation(Rune r)
    {
        if (r.IsAscii)
        {
            return char.IsAsciiLetterOrDigit((char)r.Value) is false && r.Value is > 0x20 and < 0x7F;
        }

        return Rune.GetUnicodeCategory(r) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    public override void PreTokenize(ReadOnlySpan<char> piece, PieceList output, int sectionIndex)
    {
        List<(int Start, int Length)> matches = t_matches ??= [];
        matches.Clear();
        int i = 0;
        while (i < piece.Length)
        {
            Rune.DecodeFromUtf16(piece[i..], out Rune r, out int used);
            if (IsPunctuation(r))
            {
                matches.Add((i, used));
            }

            i += used;
        }

        Splitter.Emit(piece, matches, behavior, invert: false, output);
    }
}
