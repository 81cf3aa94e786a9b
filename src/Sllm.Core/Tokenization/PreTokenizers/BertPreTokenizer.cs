using System.Text;
using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.PreTokenizers;

/// <summary>BERT: splits on whitespace (dropped) and isolates every punctuation character.</summary>
internal sealed class BertPreTokenizer : TextPreTokenizer
{
    public override void PreTokenize(ReadOnlySpan<char> piece, PieceList output, int sectionIndex)
    {
        int i = 0;
        while (i < piece.Length)
        {
            Rune.DecodeFromUtf16(piece[i..], out Rune r, out int used);
            if (Rune.IsWhiteSpace(r))
            {
                output.Commit();
            }
            else if (PunctuationPreTokenizer.IsPunctuation(r))
            {
                output.Commit();
                output.Add(piece.Slice(i, used));
            }
            else
            {
                output.Append(piece.Slice(i, used));
            }

            i += used;
        }

        output.Commit();
    }
}
