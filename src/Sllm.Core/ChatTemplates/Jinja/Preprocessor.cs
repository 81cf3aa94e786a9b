using System.Text;
using System.Text.RegularExpressions;

namespace Sllm.ChatTemplates.Jinja;

/// <summary>
/// The reference lexer's source rewrite, applied once at parse time: drop one trailing newline, <c>lstrip_blocks</c>,
/// <c>trim_blocks</c> (as transformers configures Jinja) and removal of the <c>{% generation %}</c> tags. Each step only
/// deletes characters, so a map from the rewritten text back to original offsets keeps error locations exact.
/// </summary>
internal static partial class Preprocessor
{
    private const string JsSpace = @"[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]";

    public static string Run(string source, out int[] map)
    {
        map = new int[source.Length];
        for (int i = 0; i < map.Length; i++)
        {
            map[i] = i;
        }

        string text = source;
        if (text.EndsWith('\n'))
        {
            text = text[..^1];
            map = map[..^1];
        }

        // lstrip_blocks: /^[ \t]*({[#%-])/gm -> "$1" (JavaScript's multiline ^ also follows \r, U+2028, U+2029).
        text = Delete(text, ref map, LstripRegex(), static (m, del) => del(m.Index, m.Length));

        // trim_blocks: /([#%-]})\n/g -> "$1"
        text = Delete(text, ref map, TrimRegex(), static (m, del) => del(m.Index + 2, 1));

        // {% generation %} / {% endgeneration %}, honouring {%- and -%} by dropping the surrounding whitespace.
        text = Delete(text, ref map, GenerationRegex(), static (m, del) =>
        {
            Group before = m.Groups[1];
            Group after = m.Groups[4];
            if (m.Groups[2].Length > 0)
            {
                del(before.Index, before.Length);
            }

            del(before.Index + before.Length, after.Index - (before.Index + before.Length));
            if (m.Groups[3].Length > 0)
            {
                del(after.Index, after.Length);
            }
        });
        return text;
    }

    private static string Delete(string text, ref int[] map, Regex regex, Action<Match, Action<int, int>> onMatch)
    {
        MatchCollection matches = regex.Matches(text);
        if (matches.Count == 0)
        {
            return text;
        }

        var deleted = new bool[text.Length];
        void Del(int start, int length)
        {
            for (int i = start; i < start + length; i++)
            {
                deleted[i] = true;
            }
        }

        foreach (Match m in matches)
        {
            onMatch(m, Del);
        }

        var sb = new StringBuilder(text.Length);
        var newMap = new List<int>(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (!deleted[i])
            {
                sb.Append(text[i]);
                newMap.Add(map[i]);
            }
        }

        map = [.. newMap];
        return sb.ToString();
    }

    [GeneratedRegex(@"(?<=^|[\n\r\u2028\u2029])[ \t]*(?=\{[#%-])", RegexOptions.CultureInvariant)]
    private static partial Regex LstripRegex();

    [GeneratedRegex(@"[#%-]\}\n", RegexOptions.CultureInvariant)]
    private static partial Regex TrimRegex();

    [GeneratedRegex("(" + JsSpace + "*)\\{%(-?)" + JsSpace + "*(?:end)?generation" + JsSpace + "*(-?)%\\}(" + JsSpace + "*)", RegexOptions.CultureInvariant)]
    private static partial Regex GenerationRegex();
}
