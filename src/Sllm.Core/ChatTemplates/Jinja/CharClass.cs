namespace Sllm.ChatTemplates.Jinja;

/// <summary>Character classes with JavaScript's definitions, which the reference's regexes and trims use.</summary>
internal static class CharClass
{
    /// <summary>JavaScript <c>\s</c> (also what <c>trim()</c> removes).</summary>
    public static bool IsWhitespace(char c) => c switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u00A0' or '\u1680' or '\u2028' or '\u2029' or '\u202F'
            or '\u205F' or '\u3000' or '\uFEFF' => true,
        _ => c is >= '\u2000' and <= '\u200A',
    };

    /// <summary>JavaScript <c>\w</c>: ASCII letters, digits and underscore.</summary>
    public static bool IsWord(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    public static bool IsDigit(char c) => c is >= '0' and <= '9';

    public static string TrimEnd(string s)
    {
        int end = s.Length;
        while (end > 0 && IsWhitespace(s[end - 1]))
        {
            end--;
        }

        return end == s.Length ? s : s[..end];
    }

    public static string TrimStart(string s)
    {
        int start = 0;
        while (start < s.Length && IsWhitespace(s[start]))
        {
            start++;
        }

        return start == 0 ? s : s[start..];
    }

    public static string Trim(string s) => TrimStart(TrimEnd(s));
}
