using Sllm.Tokenization.Models;

namespace Sllm.Tokenization.PostProcessors;

/// <summary>
/// The offset trimming of the reference's ByteLevel post-processor (<c>trim_offsets</c>, also done by
/// RobertaProcessing): a token's range loses as many leading and trailing characters as its string has leading and
/// trailing spaces (<c>Ġ</c> or whitespace), except one leading space of the first token (index 0 or starting at 0)
/// when <c>add_prefix_space</c> is set. Ids are untouched; does nothing when offsets are not tracked.
/// </summary>
internal sealed class OffsetTrimPostProcessor(bool addPrefixSpace, Vocabulary vocabulary) : TokenPostProcessor
{
    private const char SpaceChar = '\u0120';

    public override void Process(EncodeBuffer buffer, bool addSpecialTokens)
    {
        if (buffer.Offsets is not { } offsets)
        {
            return;
        }

        for (int i = 0; i < buffer.Count; i++)
        {
            string token = buffer.Texts?[i] ?? vocabulary.GetToken(buffer.Ids[i]) ?? string.Empty;
            int leading = 0;
            while (leading < token.Length && IsSpace(token[leading]))
            {
                leading++;
            }

            int trailing = 0;
            while (trailing < token.Length && IsSpace(token[token.Length - 1 - trailing]))
            {
                trailing++;
            }

            (int start, int end) = offsets[i];
            if (leading > 0)
            {
                if ((i == 0 || start == 0) && addPrefixSpace && leading == 1)
                {
                    leading = 0;
                }

                start = Math.Min(start + leading, end);
            }

            if (trailing > 0 && end >= trailing)
            {
                end = Math.Max(end - trailing, start);
            }

            offsets[i] = (start, end);
        }
    }

    // Rust's char::is_whitespace is Unicode White_Space: .NET's char.IsWhiteSpace set.
    private static bool IsSpace(char c) => c == SpaceChar || char.IsWhiteSpace(c);
}
