using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.PreTokenizers;

/// <summary>Splits on a regex or literal pattern with a <see cref="SplitBehavior"/>, optionally inverted.</summary>
internal sealed class SplitPreTokenizer(PatternRegex pattern, SplitBehavior behavior, bool invert) : TextPreTokenizer
{
    [ThreadStatic]
    private static List<(int Start, int Length)>? t_matches;

    public override void PreTokenize(ReadOnlySpan<char> piece, PieceList output, int sectionIndex)
    {
        List<(int Start, int Length)> matches = t_matches ??= [];
        matches.Clear();
        pattern.Matches(piece, matches);
        Splitter.Emit(piece, matches, behavior, invert, output);
    }
}
