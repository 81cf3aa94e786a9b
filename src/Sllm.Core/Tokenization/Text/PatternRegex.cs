using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Sllm.Tokenization.Text;

/// <summary>
/// A tokenizer regex (Oniguruma syntax, as written in tokenizer.json) run by .NET <see cref="Regex"/> with code-point
/// semantics.
/// </summary>
/// <remarks>
/// .NET regexes see UTF-16 code units, so <c>\p{L}</c> never matches an astral letter (its surrogates are category
/// Cs) and <c>{1,3}</c> counts code units. Inputs holding surrogate pairs are therefore matched on a proxy string where
/// each astral code point is replaced by one BMP character of the same general category that the pattern does not
/// mention; match positions are mapped back. <c>(?i:...)</c> groups are folded to ASCII case pairs, as the reference
/// (transformers.js) does, so .NET's wider case equivalences (K/K, s/ſ) do not apply. Immutable and thread-safe.
/// </remarks>
internal sealed class PatternRegex
{
    private readonly Regex _regex;
    private readonly char[] _proxy;

    private PatternRegex(string dotnetPattern, string sourceForProxy, SplitPatternMatcher? matcher = null)
    {
        _regex = new Regex(dotnetPattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);
        _proxy = BuildProxyTable(sourceForProxy);
        Matcher = matcher;
    }

    /// <summary>Gets the hand-written equivalent of this pattern, or null when it is not a known standard pattern.</summary>
    public SplitPatternMatcher? Matcher { get; }

    /// <summary>Compiles a tokenizer.json <c>Regex</c> pattern; throws <see cref="ArgumentException"/> when .NET rejects it.</summary>
    public static PatternRegex FromOniguruma(string pattern) => new(Translate(pattern), pattern, SplitPatternMatcher.ForPattern(pattern));

    /// <summary>Compiles a tokenizer.json pattern without the hand-written matcher (tests compare the two).</summary>
    internal static PatternRegex FromOnigurumaRegexOnly(string pattern) => new(Translate(pattern), pattern);

    /// <summary>Compiles a pattern that is already .NET syntax (used for the built-in patterns).</summary>
    public static PatternRegex FromDotNet(string pattern) => new(pattern, pattern);

    /// <summary>Compiles a literal string pattern.</summary>
    public static PatternRegex FromLiteral(string literal) => new(Regex.Escape(literal), literal);

    /// <summary>Appends the (start, length) of every non-empty match, in order, to <paramref name="matches"/>.</summary>
    public void Matches(ReadOnlySpan<char> text, List<(int Start, int Length)> matches)
    {
        if (Matcher is not null)
        {
            Matcher.Matches(text, matches);
            return;
        }

        if (text.IndexOfAnyInRange('\ud800', '\udfff') < 0)
        {
            foreach (ValueMatch m in _regex.EnumerateMatches(text))
            {
                if (m.Length > 0)
                {
                    matches.Add((m.Index, m.Length));
                }
            }

            return;
        }

        char[] proxy = ArrayPool<char>.Shared.Rent(text.Length);
        int[] map = ArrayPool<int>.Shared.Rent(text.Length + 1);
        try
        {
            int n = 0;
            for (int i = 0; i < text.Length; i++)
            {
                map[n] = i;
                char c = text[i];
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    int cp = char.ConvertToUtf32(c, text[i + 1]);
                    proxy[n++] = _proxy[(int)CharUnicodeInfo.GetUnicodeCategory(cp)];
                    i++;
                }
                else
                {
                    proxy[n++] = c;
                }
            }

            map[n] = text.Length;
            foreach (ValueMatch m in _regex.EnumerateMatches(proxy.AsSpan(0, n)))
            {
                if (m.Length > 0)
                {
                    int start = map[m.Index];
                    matches.Add((start, map[m.Index + m.Length] - start));
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(map);
            ArrayPool<char>.Shared.Return(proxy);
        }
    }

    /// <summary>Replaces every match with <paramref name="replacement"/> (literal text).</summary>
    public string Replace(string text, string replacement)
    {
        var matches = new List<(int Start, int Length)>();
        Matches(text, matches);
        if (matches.Count == 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        int last = 0;
        foreach ((int start, int length) in matches)
        {
            sb.Append(text, last, start - last).Append(replacement);
            last = start + length;
        }

        return sb.Append(text, last, text.Length - last).ToString();
    }

    private static char[] BuildProxyTable(string pattern)
    {
        var table = new char[32];
        for (int cat = 0; cat < table.Length; cat++)
        {
            table[cat] = '\uFFFD';
        }

        var found = new bool[32];
        for (int c = 0x2C00; c < 0x10000 + 0x2C00; c++)
        {
            char ch = (char)(c & 0xFFFF);
            if (char.IsSurrogate(ch) || char.IsWhiteSpace(ch) || ch < 0x80)
            {
                continue;
            }

            int cat = (int)CharUnicodeInfo.GetUnicodeCategory(ch);
            if (found[cat] || pattern.Contains(ch, StringComparison.Ordinal)
                || pattern.Contains(char.ToUpperInvariant(ch), StringComparison.Ordinal)
                || pattern.Contains(char.ToLowerInvariant(ch), StringComparison.Ordinal))
            {
                continue;
            }

            found[cat] = true;
            table[cat] = ch;
        }

        return table;
    }

    /// <summary>Rewrites the Oniguruma constructs .NET reads differently; fails loudly on ones it cannot express.</summary>
    internal static string Translate(string pattern)
    {
        var sb = new StringBuilder(pattern.Length + 16);
        int i = 0;
        TranslateInto(pattern, ref i, sb, foldCase: false, stopAtGroupEnd: false);
        return sb.ToString();
    }

    private static void TranslateInto(string p, ref int i, StringBuilder sb, bool foldCase, bool stopAtGroupEnd)
    {
        int depth = 0;
        while (i < p.Length)
        {
            char c = p[i];
            if (c == '\\')
            {
                i = CopyEscape(p, i, sb, inClass: false);
                continue;
            }

            if (c == '[')
            {
                i = CopyClass(p, i, sb, foldCase);
                continue;
            }

            if (c == '(')
            {
                if (string.CompareOrdinal(p, i, "(?i:", 0, 4) == 0)
                {
                    sb.Append("(?:");
                    i += 4;
                    TranslateInto(p, ref i, sb, foldCase: true, stopAtGroupEnd: true);
                    sb.Append(')');
                    continue;
                }

                depth++;
                sb.Append(c);
                i++;
                // Copy group syntax such as (?<name> or (?: verbatim so its letters are not folded.
                if (i < p.Length && p[i] == '?')
                {
                    int end = i + 1;
                    while (end < p.Length && p[end] is not (':' or '=' or '!' or '>' or ')') && !(p[end] == '<' && end + 1 < p.Length && p[end + 1] is '=' or '!'))
                    {
                        end++;
                    }

                    if (end < p.Length && p[end] == '<')
                    {
                        end++;
                    }

                    end = Math.Min(end + 1, p.Length);
                    sb.Append(p, i, end - i);
                    i = end;
                }

                continue;
            }

            if (c == ')')
            {
                if (depth == 0 && stopAtGroupEnd)
                {
                    i++;
                    return;
                }

                depth--;
            }

            if (foldCase && char.IsAsciiLetter(c))
            {
                sb.Append('[').Append(char.ToLowerInvariant(c)).Append(char.ToUpperInvariant(c)).Append(']');
            }
            else
            {
                sb.Append(c);
            }

            i++;
        }
    }

    private static int CopyClass(string p, int i, StringBuilder sb, bool foldCase)
    {
        sb.Append('[');
        i++;
        if (i < p.Length && p[i] == '^')
        {
            sb.Append('^');
            i++;
        }

        bool first = true;
        while (i < p.Length && (p[i] != ']' || first))
        {
            first = false;
            char c = p[i];
            if (c == '\\')
            {
                i = CopyEscape(p, i, sb, inClass: true);
                continue;
            }

            if (c == '[')
            {
                // A nested class or a POSIX bracket ([:alpha:]) has no faithful .NET form here.
                throw new ArgumentException("nested character classes are not supported");
            }

            sb.Append(c);
            if (foldCase && char.IsAsciiLetter(c))
            {
                if (i + 2 < p.Length && p[i + 1] == '-' && char.IsAsciiLetter(p[i + 2]))
                {
                    sb.Append('-').Append(p[i + 2]);
                    bool lower = char.IsAsciiLetterLower(c);
                    sb.Append(lower ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c)).Append('-')
                        .Append(lower ? char.ToUpperInvariant(p[i + 2]) : char.ToLowerInvariant(p[i + 2]));
                    i += 3;
                    continue;
                }

                sb.Append(char.IsAsciiLetterLower(c) ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            }

            i++;
        }

        if (i >= p.Length)
        {
            throw new ArgumentException("unterminated character class");
        }

        sb.Append(']');
        return i + 1;
    }

    private static int CopyEscape(string p, int i, StringBuilder sb, bool inClass)
    {
        if (i + 1 >= p.Length)
        {
            throw new ArgumentException("pattern ends with a lone backslash");
        }

        char next = p[i + 1];
        switch (next)
        {
            case 'p' or 'P' when i + 2 < p.Length && p[i + 2] == '{':
                {
                    int end = p.IndexOf('}', i + 3);
                    if (end < 0)
                    {
                        throw new ArgumentException("unterminated \\p{...}");
                    }

                    sb.Append(p, i, end - i + 1);
                    return end + 1;
                }

            case 'h' or 'H':
                // Oniguruma \h is a hexadecimal digit.
                sb.Append(next == 'h' ? (inClass ? "0-9A-Fa-f" : "[0-9A-Fa-f]") : (inClass ? throw new ArgumentException("\\H inside a class is not supported") : "[^0-9A-Fa-f]"));
                return i + 2;
            case 'x' when i + 2 < p.Length && p[i + 2] == '{':
                {
                    int end = p.IndexOf('}', i + 3);
                    if (end < 0)
                    {
                        throw new ArgumentException("unterminated \\x{...}");
                    }

                    int cp = int.Parse(p.AsSpan(i + 3, end - i - 3), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    foreach (char ch in char.ConvertFromUtf32(cp))
                    {
                        sb.Append(@"\u").Append(((int)ch).ToString("X4", CultureInfo.InvariantCulture));
                    }

                    return end + 1;
                }

            default:
                sb.Append('\\').Append(next);
                return i + 2;
        }
    }
}
