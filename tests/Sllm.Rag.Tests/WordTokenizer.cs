using System.Buffers;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Sllm.Rag;

/// <summary>
/// A test tokenizer: each run of ASCII letters and digits is one token and every other non-whitespace Unicode scalar
/// (punctuation, CJK ideographs, emoji) is one token, so counts are easy to predict by hand.
/// </summary>
internal sealed class WordTokenizer : Tokenizer
{
    public static readonly WordTokenizer Instance = new();

    public override OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten) =>
        throw new NotSupportedException();

    protected override EncodeResults<EncodedToken> EncodeToTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        ReadOnlySpan<char> span = text is null ? textSpan : text.AsSpan();
        var tokens = new List<EncodedToken>();
        int i = 0;
        while (i < span.Length)
        {
            if (char.IsWhiteSpace(span[i]))
            {
                i++;
                continue;
            }

            int start = i;
            if (char.IsAsciiLetterOrDigit(span[i]))
            {
                while (i < span.Length && char.IsAsciiLetterOrDigit(span[i]))
                {
                    i++;
                }
            }
            else
            {
                Rune.DecodeFromUtf16(span[i..], out _, out int consumed);
                i += Math.Max(consumed, 1);
            }

            tokens.Add(new EncodedToken(tokens.Count, span[start..i].ToString(), new Range(start, i)));
        }

        return new EncodeResults<EncodedToken> { Tokens = tokens, CharsConsumed = span.Length };
    }
}
