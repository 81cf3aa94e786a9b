using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.PreTokenizers;

/// <summary>Splits ASCII digits from the rest: each digit alone (<c>individual_digits</c>) or digit runs together.</summary>
internal sealed class DigitsPreTokenizer(bool individualDigits) : TextPreTokenizer
{
    public override void PreTokenize(ReadOnlySpan<char> piece, PieceList output, int sectionIndex)
    {
        int i = 0;
        while (i < piece.Length)
        {
            int start = i;
            if (char.IsAsciiDigit(piece[i]))
            {
                i++;
                if (!individualDigits)
                {
                    while (i < piece.Length && char.IsAsciiDigit(piece[i]))
                    {
                        i++;
                    }
                }
            }
            else
            {
                while (i < piece.Length && !char.IsAsciiDigit(piece[i]))
                {
                    i++;
                }
            }

            output.Add(piece[start..i]);
        }
    }
}
