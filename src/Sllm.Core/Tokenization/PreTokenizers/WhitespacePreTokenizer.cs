using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.PreTokenizers;

/// <summary>Whitespace: <c>\w+|[^\w\s]+</c> with Unicode word characters (the Rust semantics).</summary>
internal sealed class WhitespacePreTokenizer : TextPreTokenizer
{
    private static readonly Lazy<PatternRegex> Pattern = new(() => PatternRegex.FromDotNet(@"\w+|[^\w\s]+"));

    [ThreadStatic]
    private static List<(int Start, int Length)>? t_matches;

    public override void PreTokenize(ReadOnlySpan<char> piece, PieceList output, int sectionIndex)
    {
        List<(int Start, int Length)> matches = t_matches ??= [];
        matches.Clear();
        Pattern.Value.Matches(piece, matches);
        foreach ((int start, int length) in matches)
        {
            output.Add(piece.Slice(start, length));
        }
    }
}
