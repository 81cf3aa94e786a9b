using System.Globalization;
using System.Runtime.CompilerServices;

namespace Sllm.Tokenization.Text;

/// <summary>
/// Hand-written matchers for the standard pre-tokenizer split patterns (GPT-2's, Llama-3's and Qwen2's), equivalent to
/// running the pattern with <see cref="PatternRegex"/> (code-point semantics, ASCII-folded <c>(?i:...)</c>) but
/// without a regex engine or the astral proxy string. Each of these patterns matches a non-empty string at every
/// position, so its matches tile the text and a match is fully described by its length.
/// </summary>
/// <remarks>Immutable and thread-safe. Equivalence with the regex is checked by randomized and adversarial tests.</remarks>
internal sealed class SplitPatternMatcher
{
    /// <summary>Llama-3's split pattern (Oniguruma source, as in tokenizer.json).</summary>
    public const string Llama3Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>Qwen2's split pattern: Llama-3's with single digits.</summary>
    public const string Qwen2Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private const byte Letter = 1;
    private const byte Number = 2;
    private const byte Space = 4;

    private static readonly byte[] AsciiNet = BuildAscii(jsSpace: false);
    private static readonly byte[] AsciiJs = BuildAscii(jsSpace: true);

    private readonly bool _gpt2;
    private readonly int _maxDigits;

    private SplitPatternMatcher(bool gpt2, int maxDigits)
    {
        _gpt2 = gpt2;
        _maxDigits = maxDigits;
    }

    /// <summary>Gets the GPT-2 byte-level pattern matcher (JavaScript <c>\s</c>, which includes U+FEFF).</summary>
    public static SplitPatternMatcher Gpt2 { get; } = new(gpt2: true, int.MaxValue);

    /// <summary>Returns the matcher for a known Oniguruma pattern, or null.</summary>
    public static SplitPatternMatcher? ForPattern(string pattern) => pattern switch
    {
        Llama3Pattern => new SplitPatternMatcher(gpt2: false, 3),
        Qwen2Pattern => new SplitPatternMatcher(gpt2: false, 1),
        _ => null,
    };

    /// <summary>Appends every match as (start, length), in order.</summary>
    public void Matches(ReadOnlySpan<char> text, List<(int Start, int Length)> matches)
    {
        for (int pos = 0; pos < text.Length;)
        {
            int length = MatchLength(text, pos);
            matches.Add((pos, length));
            pos += length;
        }
    }

    /// <summary>Returns the length of the match starting at <paramref name="pos"/> (always at least 1).</summary>
    public int MatchLength(ReadOnlySpan<char> text, int pos) => _gpt2 ? Gpt2Length(text, pos) : Llama3Length(text, pos);

    private int Llama3Length(ReadOnlySpan<char> t, int i)
    {
        int n = t.Length;
        char c = t[i];
        if (c == '\'' && i + 1 < n)
        {
            int d = t[i + 1] | 0x20;
            if (d is 's' or 't' or 'm' or 'd')
            {
                return 2;
            }

            if (i + 2 < n)
            {
                int e = t[i + 2] | 0x20;
                if ((d == 'r' && e == 'e') || (d == 'v' && e == 'e') || (d == 'l' && e == 'l'))
                {
                    return 3;
                }
            }
        }

        int kind = Classify(t, i, out int len, jsSpace: false);
        if ((kind & Letter) != 0)
        {
            return SkipLetters(t, i + len) - i;
        }

        if ((kind & Number) != 0)
        {
            int j = i + len;
            for (int k = 1; k < _maxDigits && j < n; k++)
            {
                if ((Classify(t, j, out int l2, jsSpace: false) & Number) == 0)
                {
                    break;
                }

                j += l2;
            }

            return j - i;
        }

        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (c != '\r' && c != '\n' && i + len < n && (Classify(t, i + len, out int ln, jsSpace: false) & Letter) != 0)
        {
            return SkipLetters(t, i + len + ln) - i;
        }

        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        int start = i;
        if (c == ' ' && i + 1 < n && Classify(t, i + 1, out _, jsSpace: false) == 0)
        {
            start = i + 1;
        }

        if (start > i || kind == 0)
        {
            int j = SkipOther(t, start, jsSpace: false);
            while (j < n && t[j] is '\r' or '\n')
            {
                j++;
            }

            return j - i;
        }

        // Whitespace: \s*[\r\n]+ | \s+(?!\S) | \s+ (whitespace is never astral).
        int end = i;
        int lastBreak = -1;
        while (end < n && char.IsWhiteSpace(t[end]))
        {
            if (t[end] is '\r' or '\n')
            {
                lastBreak = end;
            }

            end++;
        }

        if (lastBreak >= 0)
        {
            return lastBreak + 1 - i;
        }

        return end == n || end - i == 1 ? end - i : end - 1 - i;
    }

    private static int Gpt2Length(ReadOnlySpan<char> t, int i)
    {
        int n = t.Length;
        char c = t[i];
        if (c == '\'' && i + 1 < n)
        {
            char d = t[i + 1];
            if (d is 's' or 't' or 'm' or 'd')
            {
                return 2;
            }

            if (i + 2 < n)
            {
                char e = t[i + 2];
                if ((d == 'r' && e == 'e') || (d == 'v' && e == 'e') || (d == 'l' && e == 'l'))
                {
                    return 3;
                }
            }
        }

        int start = i;
        if (c == ' ' && i + 1 < n)
        {
            start = i + 1;
        }

        int kind = Classify(t, start, out int len, jsSpace: true);
        if (start > i && (kind & Space) != 0)
        {
            // " " followed by whitespace: no optional-space alternative applies.
            start = i;
            kind = Space;
        }

        if ((kind & Letter) != 0)
        {
            return SkipLetters(t, start + len) - i;
        }

        if ((kind & Number) != 0)
        {
            int j = start + len;
            while (j < n && (Classify(t, j, out int l2, jsSpace: true) & Number) != 0)
            {
                j += l2;
            }

            return j - i;
        }

        if (kind == 0)
        {
            return SkipOther(t, start, jsSpace: true) - i;
        }

        int end = i;
        while (end < n && IsJsSpace(t[end]))
        {
            end++;
        }

        return end == n || end - i == 1 ? end - i : end - 1 - i;
    }

    private static int SkipLetters(ReadOnlySpan<char> t, int j)
    {
        while (j < t.Length)
        {
            char c = t[j];
            if (c < 128)
            {
                if (!char.IsAsciiLetter(c))
                {
                    break;
                }

                j++;
                continue;
            }

            if ((Classify(t, j, out int len, jsSpace: false) & Letter) == 0)
            {
                break;
            }

            j += len;
        }

        return j;
    }

    private static int SkipOther(ReadOnlySpan<char> t, int j, bool jsSpace)
    {
        while (j < t.Length && Classify(t, j, out int len, jsSpace) == 0)
        {
            j += len;
        }

        return j;
    }

    /// <summary>Classifies the code point at <paramref name="i"/>: letter, number, whitespace, or 0 for anything else.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Classify(ReadOnlySpan<char> t, int i, out int length, bool jsSpace)
    {
        char c = t[i];
        length = 1;
        if (c < 128)
        {
            return (jsSpace ? AsciiJs : AsciiNet)[c];
        }

        UnicodeCategory category;
        if (char.IsHighSurrogate(c) && i + 1 < t.Length && char.IsLowSurrogate(t[i + 1]))
        {
            length = 2;
            category = CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, t[i + 1]));
        }
        else
        {
            if (jsSpace ? IsJsSpace(c) : char.IsWhiteSpace(c))
            {
                return Space;
            }

            category = CharUnicodeInfo.GetUnicodeCategory(c);
        }

        return category switch
        {
            <= UnicodeCategory.OtherLetter => Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => Number,
            _ => 0,
        };
    }

    private static bool IsJsSpace(char c) => JsText.IsJsWhiteSpace(c);

    private static byte[] BuildAscii(bool jsSpace)
    {
        var table = new byte[128];
        for (int c = 0; c < 128; c++)
        {
            table[c] = char.IsAsciiLetter((char)c) ? Letter
                : char.IsAsciiDigit((char)c) ? Number
                : (jsSpace ? JsText.IsJsWhiteSpace((char)c) : char.IsWhiteSpace((char)c)) ? Space
                : (byte)0;
        }

        return table;
    }
}
