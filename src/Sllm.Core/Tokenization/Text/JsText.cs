using System.Globalization;
using System.Text;

namespace Sllm.Tokenization.Text;

/// <summary>
/// String helpers with the exact semantics of the JavaScript built-ins the reference implementation uses
/// (<c>trim</c>, <c>\s</c>, <c>toLowerCase</c>, <c>normalize</c>), which differ from their .NET namesakes.
/// </summary>
internal static class JsText
{
    /// <summary>The JavaScript <c>\s</c> set (WhiteSpace + LineTerminator): includes U+FEFF, excludes U+0085.</summary>
    public const string WhiteSpaceClass = @"\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";

    public static bool IsJsWhiteSpace(char c) => c switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u00a0' or '\u1680' or '\u2028' or '\u2029' or '\u202f'
            or '\u205f' or '\u3000' or '\ufeff' => true,
        _ => c is >= '\u2000' and <= '\u200a',
    };

    /// <summary>Unicode White_Space (the Oniguruma and Rust <c>\s</c>): .NET <c>\s</c> and <see cref="char.IsWhiteSpace(char)"/>.</summary>
    public static bool IsUnicodeWhiteSpace(char c) => char.IsWhiteSpace(c);

    public static string TrimStart(string s)
    {
        int i = 0;
        while (i < s.Length && IsJsWhiteSpace(s[i]))
        {
            i++;
        }

        return i == 0 ? s : s[i..];
    }

    public static string TrimEnd(string s)
    {
        int j = s.Length;
        while (j > 0 && IsJsWhiteSpace(s[j - 1]))
        {
            j--;
        }

        return j == s.Length ? s : s[..j];
    }

    public static string Trim(string s) => TrimEnd(TrimStart(s));

    /// <summary>Unicode normalization that, like JavaScript, tolerates lone surrogates (left unchanged).</summary>
    public static string Normalize(string s, NormalizationForm form)
    {
        if (Ascii.IsValid(s) || (form == NormalizationForm.FormC && NfcQuickCheck.IsCertainlyNfc(s)))
        {
            return s;
        }

        try
        {
            return s.IsNormalized(form) ? s : s.Normalize(form);
        }
        catch (ArgumentException)
        {
            // Lone surrogates: normalise the well-formed runs between them.
            var sb = new StringBuilder(s.Length);
            int start = 0;
            for (int i = 0; i < s.Length; i++)
            {
                bool lone = char.IsSurrogate(s[i]) && !(char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]));
                if (char.IsHighSurrogate(s[i]) && !lone)
                {
                    i++;
                    continue;
                }

                if (lone)
                {
                    sb.Append(s.AsSpan(start, i - start).ToString().Normalize(form)).Append(s[i]);
                    start = i + 1;
                }
            }

            sb.Append(s.AsSpan(start).ToString().Normalize(form));
            return sb.ToString();
        }
    }

    /// <summary>
    /// Full Unicode lower-casing like JavaScript's <c>toLowerCase</c> and Rust's <c>to_lowercase</c>: invariant
    /// mapping plus the special cases İ → i̇ and word-final Σ → ς.
    /// </summary>
    public static string ToLower(string s)
    {
        string lower = s.ToLowerInvariant();
        if (s.AsSpan().IndexOfAny('\u0130', '\u03a3') < 0)
        {
            return lower;
        }

        var sb = new StringBuilder(s.Length + 4);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '\u0130')
            {
                sb.Append("i\u0307");
            }
            else if (c == '\u03a3')
            {
                bool before = i > 0 && char.IsLetter(s[i - 1]);
                bool after = i + 1 < s.Length && char.IsLetter(s[i + 1]);
                sb.Append(before && !after ? '\u03c2' : '\u03c3');
            }
            else
            {
                sb.Append(lower.Length == s.Length ? lower[i] : char.ToLowerInvariant(c));
            }
        }

        return sb.ToString();
    }

    /// <summary>Removes every combining mark (<c>\p{M}</c>), code point by code point.</summary>
    public static string RemoveMarks(string s, bool nonSpacingOnly)
    {
        var sb = new StringBuilder(s.Length);
        foreach (Rune r in s.EnumerateRunes())
        {
            UnicodeCategory cat = Rune.GetUnicodeCategory(r);
            bool mark = nonSpacingOnly
                ? cat == UnicodeCategory.NonSpacingMark
                : cat is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
            if (!mark)
            {
                sb.Append(r.ToString());
            }
        }

        return sb.ToString();
    }
}
