using Sllm.Tokenization.Normalizers;
using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.PreTokenizers;

/// <summary>Replaces pattern matches inside each piece (no splitting).</summary>
internal sealed class ReplacePreTokenizer(ReplaceNormalizer replace) : TextPreTokenizer
{
    public override void PreTokenize(ReadOnlySpan<char> piece, PieceList output, int sectionIndex) =>
        output.Add(replace.Normalize(piece.ToString()));
}
