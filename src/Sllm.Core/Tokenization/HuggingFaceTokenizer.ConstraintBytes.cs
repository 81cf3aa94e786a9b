namespace Sllm.Tokenization;

/// <content>The bytes each id adds to decoded text, for token masks that work on bytes (constrained decoding).</content>
public sealed partial class HuggingFaceTokenizer
{
    /// <summary>
    /// Returns the UTF-8 bytes id <paramref name="id"/> contributes to decoded text wherever it appears, or
    /// <see langword="null"/> when that is not context-free or the id should never be offered to a constraint: special
    /// tokens, ids without a token, and tokens of decoders whose output depends on neighbours.
    /// </summary>
    /// <remarks>
    /// Byte-level vocabularies give each token's raw bytes (possibly a partial UTF-8 sequence); SentencePiece vocabularies
    /// give <c>▁</c> as a space and byte-fallback tokens (<c>&lt;0x41&gt;</c>) as their byte; other decoders give the
    /// decoded text of the single id unless it is empty or holds a replacement character.
    /// </remarks>
    internal byte[]? ConstraintBytes(int id)
    {
        if ((uint)id >= (uint)_vocabulary.Size || _vocabulary.GetToken(id) is not { } token || (_decodeFlags[id] & SkipFlag) != 0)
        {
            return null;
        }

        if (_byteLevelDecode)
        {
            if ((_decodeFlags[id] & VerbatimFlag) != 0)
            {
                return System.Text.Encoding.UTF8.GetBytes(token);
            }

            ReadOnlySpan<byte> bytes = TokenBytes[id];
            return bytes.IsEmpty ? null : bytes.ToArray();
        }

        if (_sentencePieceDecode)
        {
            if (Decoders.ByteFallbackDecoder.TryParseByte(token, out byte value))
            {
                return [value];
            }

            return token.Length == 0 ? null : System.Text.Encoding.UTF8.GetBytes(token.Replace('\u2581', ' '));
        }

        string text = Decode([id], skipSpecialTokens: false);
        return text.Length == 0 || text.Contains('\uFFFD', StringComparison.Ordinal) ? null : System.Text.Encoding.UTF8.GetBytes(text);
    }
}
