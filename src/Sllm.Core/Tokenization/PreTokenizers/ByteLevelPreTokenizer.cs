using System.Buffers;
using System.Text;
using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.PreTokenizers;

/// <summary>
/// GPT-2 byte-level pre-tokenizer: optional prefix space, optional GPT-2 split regex (with JavaScript <c>\s</c>,
/// which includes U+FEFF, as the reference), then every piece's UTF-8 bytes mapped to printable characters.
/// </summary>
internal sealed class ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) : TextPreTokenizer
{
    private const string Ws = "[" + JsText.WhiteSpaceClass + "]";
    private const string NonWs = "[^" + JsText.WhiteSpaceClass + "]";

    private static readonly Lazy<PatternRegex> Gpt2 = new(() => PatternRegex.FromDotNet(
        @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^" + JsText.WhiteSpaceClass + @"\p{L}\p{N}]+|" + Ws + "+(?!" + NonWs + ")|" + Ws + "+"));

    [ThreadStatic]
    private static List<(int Start, int Length)>? t_matches;

    public override void PreTokenize(ReadOnlySpan<char> piece, PieceList output, int sectionIndex)
    {
        char[]? rented = null;
        if (addPrefixSpace && (piece.IsEmpty || piece[0] != ' '))
        {
            rented = ArrayPool<char>.Shared.Rent(piece.Length + 1);
            rented[0] = ' ';
            piece.CopyTo(rented.AsSpan(1));
            piece = rented.AsSpan(0, piece.Length + 1);
        }

        try
        {
            if (!useRegex)
            {
                MapBytes(piece, output);
                return;
            }

            List<(int Start, int Length)> matches = t_matches ??= [];
            matches.Clear();
            Gpt2.Value.Matches(piece, matches);
            foreach ((int start, int length) in matches)
            {
                MapBytes(piece.Slice(start, length), output);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Appends the byte-level form of <paramref name="text"/> as one piece.</summary>
    internal static void MapBytes(ReadOnlySpan<char> text, PieceList output)
    {
        if (text.IsEmpty)
        {
            return;
        }

        ReadOnlySpan<char> table = ByteLevelAlphabet.ByteToChar;
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        Span<byte> bytes = max <= 512 ? stackalloc byte[max] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int n = Encoding.UTF8.GetBytes(text, bytes);
            for (int i = 0; i < n; i++)
            {
                output.Append(table[bytes[i]]);
            }

            output.Commit();
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
