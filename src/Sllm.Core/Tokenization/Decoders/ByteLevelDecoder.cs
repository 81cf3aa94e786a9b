using System.Buffers;
using System.Text;
using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.Decoders;

/// <summary>
/// Byte-level: maps the alphabet back to bytes and decodes UTF-8 (invalid sequences become U+FFFD). Added tokens
/// (only known when this is the top-level decoder, as in the reference) pass through verbatim; a character outside
/// the alphabet counts as byte 0, as the reference's typed-array conversion does.
/// </summary>
internal sealed class ByteLevelDecoder : TokenDecoder
{
    private HashSet<string>? _addedTokens;

    /// <summary>Sets the added-token contents that bypass byte decoding.</summary>
    public void SetAddedTokens(HashSet<string> contents) => _addedTokens = contents;

    public override List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>();
        int runStart = 0;
        for (int i = 0; i < tokens.Count; i++)
        {
            if (_addedTokens is not null && _addedTokens.Contains(tokens[i]))
            {
                if (i > runStart)
                {
                    result.Add(Convert(tokens, runStart, i));
                }

                result.Add(tokens[i]);
                runStart = i + 1;
            }
        }

        if (runStart < tokens.Count)
        {
            result.Add(Convert(tokens, runStart, tokens.Count));
        }

        return result;
    }

    /// <summary>Appends the bytes a byte-level token stands for (characters outside the alphabet count as byte 0).</summary>
    internal static int AppendBytes(string token, Span<byte> bytes)
    {
        int n = 0;
        for (int k = 0; k < token.Length; k++)
        {
            char c = token[k];
            if (char.IsHighSurrogate(c) && k + 1 < token.Length && char.IsLowSurrogate(token[k + 1]))
            {
                k++;
                bytes[n++] = 0;
                continue;
            }

            int b = ByteLevelAlphabet.CharToByte(c);
            bytes[n++] = b < 0 ? (byte)0 : (byte)b;
        }

        return n;
    }

    internal bool IsAddedToken(string token) => _addedTokens is not null && _addedTokens.Contains(token);

    private static string Convert(List<string> tokens, int start, int end)
    {
        int length = 0;
        for (int i = start; i < end; i++)
        {
            length += tokens[i].Length;
        }

        byte[] bytes = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            int n = 0;
            for (int i = start; i < end; i++)
            {
                n += AppendBytes(tokens[i], bytes.AsSpan(n));
            }

            return Encoding.UTF8.GetString(bytes, 0, n);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
