using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.PreTokenizers;

/// <summary>Splits on a regex or literal pattern with a <see cref="SplitBehavior"/>, optionally inverted.</summary>
internal sealed class SplitPreTokenizer(PatternRegex pattern, SplitBehavior behavior, bool invert) : TextPreTokenizer
{
    [ThreadStatic]
    private static List<(int Start, int Length)>? t_matches;

    /// <summary>Gets the hand-written matcher when this split is an isolated split on a standard pattern, else null.</summary>
    public SplitPatternMatcher? IsolatedMatcher { get; } = behavior == SplitBehavior.Isolated && !invert ? pattern.Matcher : null;

    public override void PreTokenize(ReadOnlySpan<char> piece, PieceList output, int sectionIndex)
    {
        if (IsolatedMatcher is { } matcher)
        {
            // The standard patterns' matches tile the text, so every match is one piece.
            for (int pos = 0; pos < piece.Length;)
            {
                int length = matcher.MatchLength(piece, pos);
                output.Add(piece.Slice(pos, length));
                pos += length;
            }

            return;
        }

        List<(int Start, int Length)> matches = t_matches ??= [];
        matches.Clear();
        pattern.Matches(piece, matches);
        Splitter.Emit(piece, matches, behavior, invert, output);
    }
}
