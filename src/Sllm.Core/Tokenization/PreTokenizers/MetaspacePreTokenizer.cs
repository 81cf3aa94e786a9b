using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.PreTokenizers;

/// <summary>
/// SentencePiece Metaspace: spaces become the replacement (▁), which is prepended per the scheme (always; first:
/// only in the first added-token section; never); with <c>split</c>, pieces are cut before each replacement.
/// </summary>
internal sealed class MetaspacePreTokenizer(char replacement, MetaspacePrependScheme scheme, bool split) : TextPreTokenizer
{
    public override void PreTokenize(ReadOnlySpan<char> piece, PieceList output, int sectionIndex)
    {
        bool prepend = (piece.IsEmpty || piece[0] != replacement && piece[0] != ' ')
            && (scheme == MetaspacePrependScheme.Always || (scheme == MetaspacePrependScheme.First && sectionIndex == 0));
        if (prepend)
        {
            output.Append(replacement);
        }

        for (int i = 0; i < piece.Length; i++)
        {
            char c = piece[i] == ' ' ? replacement : piece[i];
            if (split && c == replacement && (i > 0 || prepend))
            {
                output.Commit();
            }

            output.Append(c, piece.Slice(i, 1));
        }

        output.Commit();
    }
}
