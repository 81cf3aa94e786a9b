using System.Buffers;
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

    /// <summary>The GPT-2 pattern as a regex; the encoder uses the equivalent <see cref="SplitPatternMatcher.Gpt2"/>.</summary>
    internal static readonly Lazy<PatternRegex> Gpt2Regex = new(() => PatternRegex.FromDotNet(
        @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^" + JsText.WhiteSpaceClass + @"\p{L}\p{N}]+|" + Ws + "+(?!" + NonWs + ")|" + Ws + "+"));

    /// <summary>Gets whether a space is prepended to a piece that does not start with one.</summary>
    public bool AddPrefixSpace => addPrefixSpace;

    /// <summary>Gets whether pieces are split with the GPT-2 pattern before mapping.</summary>
    public bool UseRegex => useRegex;

    public override void PreTokenize(ReadOnlySpan<char> piece, PieceList output, int sectionIndex)
    {
        ReadOnlySpan<char> original = piece;
        int shift = 0;
        char[]? rented = null;
        if (addPrefixSpace && (piece.IsEmpty || piece[0] != ' '))
        {
            rented = ArrayPool<char>.Shared.Rent(piece.Length + 1);
            rented[0] = ' ';
            piece.CopyTo(rented.AsSpan(1));
            piece = rented.AsSpan(0, piece.Length + 1);
            shift = 1;
        }

        try
        {
            if (output.TracksSources)
            {
                for (int pos = 0; pos < piece.Length;)
                {
                    int length = useRegex ? SplitPatternMatcher.Gpt2.MatchLength(piece, pos) : piece.Length;
                    MapTracked(piece, pos, length, original, shift, output);
                    pos += length;
                }

                return;
            }

            if (!useRegex)
            {
                MapBytes(piece, output);
                return;
            }

            SplitPatternMatcher matcher = SplitPatternMatcher.Gpt2;
            for (int pos = 0; pos < piece.Length;)
            {
                int length = matcher.MatchLength(piece, pos);
                MapBytes(piece.Slice(pos, length), output);
                pos += length;
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

    /// <summary>
    /// Appends the byte-level form of <c>buffer[start..start+length]</c> as one piece, each character recording the
    /// source of the character it came from (<c>original[i - shift]</c>; an inserted prefix space has none).
    /// </summary>
    private static void MapTracked(ReadOnlySpan<char> buffer, int start, int length, ReadOnlySpan<char> original, int shift, PieceList output)
    {
        Span<char> mapped = stackalloc char[6];
        for (int i = start; i < start + length;)
        {
            int len = char.IsHighSurrogate(buffer[i]) && i + 1 < start + length && char.IsLowSurrogate(buffer[i + 1]) ? 2 : 1;
            int n = ByteLevelAlphabet.Map(buffer.Slice(i, len), mapped);
            for (int k = 0; k < n; k++)
            {
                if (i < shift)
                {
                    output.Append(mapped[k]);
                }
                else
                {
                    output.Append(mapped[k], original.Slice(i - shift, len));
                }
            }

            i += len;
        }

        output.Commit();
    }

    /// <summary>Appends the byte-level form of <paramref name="text"/> as one piece.</summary>
    internal static void MapBytes(ReadOnlySpan<char> text, PieceList output)
    {
        if (text.IsEmpty)
        {
            return;
        }

        char[]? rented = null;
        Span<char> mapped = text.Length <= 256 ? stackalloc char[text.Length * 3] : (rented = ArrayPool<char>.Shared.Rent(text.Length * 3));
        int n = ByteLevelAlphabet.Map(text, mapped);
        output.Add(mapped[..n]);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }
}
