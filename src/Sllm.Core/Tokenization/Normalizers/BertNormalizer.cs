using System.Globalization;
using System.Text;
using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.Normalizers;

/// <summary>
/// BERT's normalizer: drops NUL, U+FFFD and control characters, maps whitespace to spaces, surrounds CJK ideographs
/// with spaces, lower-cases and strips accents (NFD, then removes non-spacing marks).
/// </summary>
internal sealed class BertNormalizer(bool cleanText, bool handleChineseChars, bool? stripAccents, bool lowercase) : TextNormalizer
{
    public override string Normalize(string text)
    {
        if (cleanText)
        {
            text = Clean(text);
        }

        if (handleChineseChars)
        {
            text = SpaceChinese(text);
        }

        if (lowercase)
        {
            text = JsText.ToLower(text);
            if (stripAccents != false)
            {
                text = StripAccents(text);
            }
        }
        else if (stripAccents == true)
        {
            text = StripAccents(text);
        }

        return text;
    }

    internal static bool IsChinese(int cp) =>
        (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);

    private static string StripAccents(string text) =>
        JsText.RemoveMarks(JsText.Normalize(text, NormalizationForm.FormD), nonSpacingOnly: true);

    private static string Clean(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (Rune r in text.EnumerateRunes())
        {
            int cp = r.Value;
            if (cp == 0 || cp == 0xFFFD)
            {
                continue;
            }

            UnicodeCategory cat = Rune.GetUnicodeCategory(r);
            bool control = cp is not ('\t' or '\n' or '\r')
                && cat is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;
            if (control)
            {
                continue;
            }

            if (Rune.IsWhiteSpace(r))
            {
                sb.Append(' ');
            }
            else
            {
                sb.Append(r.ToString());
            }
        }

        return sb.ToString();
    }

    private static string SpaceChinese(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (Rune r in text.EnumerateRunes())
        {
            if (IsChinese(r.Value))
            {
                sb.Append(' ').Append(r.ToString()).Append(' ');
            }
            else
            {
                sb.Append(r.ToString());
            }
        }

        return sb.ToString();
    }
}
