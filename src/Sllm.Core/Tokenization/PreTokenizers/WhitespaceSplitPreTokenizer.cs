using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.PreTokenizers;

/// <summary>Splits on whitespace, dropping it.</summary>
internal sealed class WhitespaceSplitPreTokenizer : TextPreTokenizer
{
    public override void PreTokenize(ReadOnlySpan<char> piece, PieceList output, int sectionIndex)
    {
        int i = 0;
        while (i < piece.Length)
        {
            while (i < piece.Length && JsText.IsJsWhiteSpace(piece[i]))
            {
                i++;
            }

            int start = i;
            while (i < piece.Length && !JsText.IsJsWhiteSpace(piece[i]))
            {
                i++;
            }

            output.Add(piece[start..i]);
        }
    }
}
