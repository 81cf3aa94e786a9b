using System.Buffers;
using Sllm.Tokenization.Decoders;
using Sllm.Tokenization.Text;

namespace Sllm.Tokenization;

/// <content>
/// Decoding for the SentencePiece decoder chain Replace(▁ → space), ByteFallback, Fuse, Strip(space, 1, 0) without
/// per-step lists: tokens go straight into one pooled buffer, byte-fallback runs are decoded as UTF-8 in place.
/// </content>
public sealed partial class HuggingFaceTokenizer
{
    private string DecodeSentencePiece(ReadOnlySpan<int> ids, bool skipSpecialTokens)
    {
        byte[] bytes = ArrayPool<byte>.Shared.Rent(64);
        char[] chars = ArrayPool<char>.Shared.Rent((ids.Length * 8) + 16);
        try
        {
            int byteCount = 0, charCount = 0, tokens = 0;
            foreach (int id in ids)
            {
                string? token = TokenForDecode(id);
                if (token is null || (skipSpecialTokens && IsSkippedOnDecode(id)))
                {
                    continue;
                }

                tokens++;
                if (ByteFallbackDecoder.TryParseByte(token, out byte value))
                {
                    if (byteCount == bytes.Length)
                    {
                        Grow(ref bytes, byteCount, 1);
                    }

                    bytes[byteCount++] = value;
                    continue;
                }

                FlushBytes(bytes, ref byteCount, ref chars, ref charCount);
                Grow(ref chars, charCount, token.Length);
                Span<char> target = chars.AsSpan(charCount, token.Length);
                token.CopyTo(target);
                target.Replace('\u2581', ' ');
                charCount += token.Length;
            }

            FlushBytes(bytes, ref byteCount, ref chars, ref charCount);
            if (tokens == 0)
            {
                return string.Empty;
            }

            int start = charCount > 0 && chars[0] == ' ' ? 1 : 0;
            int length = charCount - start;
            if (_definition.CleanUpTokenizationSpaces)
            {
                length = CleanUp.Apply(chars.AsSpan(start), length);
            }

            return length == 0 ? string.Empty : new string(chars, start, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<byte>.Shared.Return(bytes);
        }

        static void FlushBytes(byte[] bytes, ref int byteCount, ref char[] chars, ref int charCount)
        {
            if (byteCount == 0)
            {
                return;
            }

            Grow(ref chars, charCount, byteCount);
            charCount += System.Text.Encoding.UTF8.GetChars(bytes.AsSpan(0, byteCount), chars.AsSpan(charCount));
            byteCount = 0;
        }

        static void Grow<T>(ref T[] array, int count, int extra)
        {
            if (count + extra <= array.Length)
            {
                return;
            }

            T[] bigger = ArrayPool<T>.Shared.Rent(Math.Max(array.Length * 2, count + extra));
            array.AsSpan(0, count).CopyTo(bigger);
            ArrayPool<T>.Shared.Return(array);
            array = bigger;
        }
    }
}
