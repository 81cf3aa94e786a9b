using System.Text;

namespace Sllm.ChatTemplates.Jinja;

/// <summary>String methods with the reference's semantics (JavaScript whitespace, <c>title</c> on ASCII word boundaries,
/// <c>capitalize</c> leaving the rest as is) plus Python's optional <c>chars</c> for the strip family.</summary>
internal sealed partial class Interpreter
{
    internal JinjaValue CallStringMethod(JinjaValue target, string name, List<JinjaValue> args)
    {
        string s = target.Str!;
        JinjaValue arg = args.Count > 0 ? args[0] : JinjaValue.Undefined;
        switch (name)
        {
            case "upper":
                return JinjaValue.FromString(s.ToUpperInvariant());
            case "lower":
                return JinjaValue.FromString(s.ToLowerInvariant());
            case "strip":
            case "lstrip":
            case "rstrip":
                return JinjaValue.FromString(Strip(s, arg.Kind == ValueKind.String ? arg.Str : null, name != "rstrip", name != "lstrip"));
            case "title":
            {
                var sb = new StringBuilder(s);
                for (int i = 0; i < sb.Length; i++)
                {
                    if (CharClass.IsWord(sb[i]) && (i == 0 || !CharClass.IsWord(sb[i - 1])))
                    {
                        sb[i] = char.ToUpperInvariant(sb[i]);
                    }
                }

                return JinjaValue.FromString(sb.ToString());
            }

            case "capitalize":
                return s.Length == 0 ? target : JinjaValue.FromString(s[..1].ToUpperInvariant() + s[1..]);
            case "startswith":
            case "endswith":
                return JinjaValue.FromBool(AffixMatch(s, arg, name == "startswith"));
            case "split":
                return Split(s, arg, args.Count > 1 ? args[1] : JinjaValue.FromInt(-1));
            case "replace":
                return Replace(s, args);
            case "find":
            case "index":
                return FindIndex(s, arg, name == "index", fromEnd: false);
            case "rfind":
                return FindIndex(s, arg, throwIfMissing: false, fromEnd: true);
            case "count":
            {
                string needle = RequireString(arg, "count");
                if (needle.Length == 0)
                {
                    return JinjaValue.FromInt(s.Length + 1);
                }

                int count = 0;
                for (int i = s.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = s.IndexOf(needle, i + needle.Length, StringComparison.Ordinal))
                {
                    count++;
                }

                return JinjaValue.FromInt(count);
            }

            case "join":
                if (!arg.IsArray)
                {
                    throw Fail("join() needs a list");
                }

                return JoinRaw(arg.List!, s);
            case "isdigit":
                return JinjaValue.FromBool(s.Length > 0 && s.All(char.IsDigit));
            case "isalpha":
                return JinjaValue.FromBool(s.Length > 0 && s.All(char.IsLetter));
            case "isalnum":
                return JinjaValue.FromBool(s.Length > 0 && s.All(char.IsLetterOrDigit));
            case "isspace":
                return JinjaValue.FromBool(s.Length > 0 && s.All(CharClass.IsWhitespace));
            case "islower":
                return JinjaValue.FromBool(s.Any(char.IsLetter) && string.Equals(s, s.ToLowerInvariant(), StringComparison.Ordinal));
            case "isupper":
                return JinjaValue.FromBool(s.Any(char.IsLetter) && string.Equals(s, s.ToUpperInvariant(), StringComparison.Ordinal));
            case "splitlines":
            {
                var lines = new List<JinjaValue>();
                foreach (string line in s.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', '\r'))
                {
                    lines.Add(JinjaValue.FromString(line));
                }

                if (lines.Count > 0 && lines[^1].Str!.Length == 0)
                {
                    lines.RemoveAt(lines.Count - 1);
                }

                return JinjaValue.FromList(lines);
            }

            case "removeprefix":
                return JinjaValue.FromString(s.StartsWith(RequireString(arg, name), StringComparison.Ordinal) ? s[arg.Str!.Length..] : s);
            case "removesuffix":
                return JinjaValue.FromString(s.EndsWith(RequireString(arg, name), StringComparison.Ordinal) ? s[..^arg.Str!.Length] : s);
            default:
                return Format(s, args);
        }
    }

    private string RequireString(JinjaValue value, string method) =>
        value.Kind == ValueKind.String ? value.Str! : throw Fail($"{method}() argument must be a string");

    private static string Strip(string s, string? chars, bool left, bool right)
    {
        Func<char, bool> strip = chars is null ? CharClass.IsWhitespace : c => chars.Contains(c, StringComparison.Ordinal);
        int start = 0;
        int end = s.Length;
        while (left && start < end && strip(s[start]))
        {
            start++;
        }

        while (right && end > start && strip(s[end - 1]))
        {
            end--;
        }

        return s[start..end];
    }

    private bool AffixMatch(string s, JinjaValue pattern, bool prefix)
    {
        string method = prefix ? "startswith" : "endswith";
        if (pattern.Kind == ValueKind.String)
        {
            return prefix ? s.StartsWith(pattern.Str!, StringComparison.Ordinal) : s.EndsWith(pattern.Str!, StringComparison.Ordinal);
        }

        if (pattern.IsArray)
        {
            foreach (JinjaValue item in pattern.List!)
            {
                if (item.Kind != ValueKind.String)
                {
                    throw Fail($"{method}() tuple elements must be strings");
                }

                if (prefix ? s.StartsWith(item.Str!, StringComparison.Ordinal) : s.EndsWith(item.Str!, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        throw Fail($"{method}() argument must be a string or tuple of strings");
    }

    private JinjaValue Split(string s, JinjaValue sep, JinjaValue maxsplit)
    {
        if (sep.Kind is not (ValueKind.String or ValueKind.Null or ValueKind.Undefined))
        {
            throw Fail("sep argument must be a string or null");
        }

        if (maxsplit.Kind != ValueKind.Integer)
        {
            throw Fail("maxsplit argument must be a number");
        }

        var result = new List<JinjaValue>();
        if (sep.Kind != ValueKind.String)
        {
            foreach (string part in SplitWhitespace(s, maxsplit.Int))
            {
                result.Add(JinjaValue.FromString(part));
            }

            return JinjaValue.FromList(result);
        }

        if (sep.Str!.Length == 0)
        {
            throw Fail("empty separator");
        }

        string[] parts = s.Split(sep.Str, StringSplitOptions.None);
        int limit = maxsplit.Int == -1 || maxsplit.Int >= parts.Length ? parts.Length : (int)Math.Max(0, maxsplit.Int);
        for (int i = 0; i < limit; i++)
        {
            result.Add(JinjaValue.FromString(parts[i]));
        }

        if (limit < parts.Length)
        {
            result.Add(JinjaValue.FromString(string.Join(sep.Str, parts, limit, parts.Length - limit)));
        }

        return JinjaValue.FromList(result);
    }

    /// <summary>Python's <c>str.split()</c> without a separator, on JavaScript whitespace.</summary>
    internal static List<string> SplitWhitespace(string s, long maxsplit)
    {
        var result = new List<string>();
        string text = CharClass.TrimStart(s);
        int i = 0;
        while (i < text.Length)
        {
            int start = i;
            while (i < text.Length && !CharClass.IsWhitespace(text[i]))
            {
                i++;
            }

            if (maxsplit != -1 && result.Count >= maxsplit)
            {
                result.Add(text[start..]);
                break;
            }

            result.Add(text[start..i]);
            while (i < text.Length && CharClass.IsWhitespace(text[i]))
            {
                i++;
            }
        }

        return result;
    }

    private JinjaValue Replace(string s, List<JinjaValue> args)
    {
        if (args.Count < 2)
        {
            throw Fail("replace() requires at least two arguments");
        }

        if (args[0].Kind != ValueKind.String || args[1].Kind != ValueKind.String)
        {
            throw Fail("replace() arguments must be strings");
        }

        JinjaValue count = args.Count > 2
            ? (args[2].Kind == ValueKind.KeywordArguments ? args[2].Dict!.GetValueOrDefault("count") ?? JinjaValue.Null : args[2])
            : JinjaValue.Null;
        if (count.Kind is not (ValueKind.Integer or ValueKind.Null))
        {
            throw Fail("replace() count argument must be a number or null");
        }

        string oldValue = args[0].Str!;
        string newValue = args[1].Str!;
        long remaining = count.Kind == ValueKind.Null || count.Int < 0 ? long.MaxValue : count.Int;
        var sb = new StringBuilder(s.Length);
        if (oldValue.Length == 0)
        {
            // Python inserts at every code-point boundary, including both ends.
            List<string> points = CodePoints(s);
            for (int i = 0; i <= points.Count; i++)
            {
                if (remaining-- > 0)
                {
                    sb.Append(newValue);
                }

                if (i < points.Count)
                {
                    sb.Append(points[i]);
                }

                CheckLength(sb.Length);
            }

            return JinjaValue.FromString(sb.ToString());
        }

        int position = 0;
        while (remaining > 0)
        {
            int found = s.IndexOf(oldValue, position, StringComparison.Ordinal);
            if (found < 0)
            {
                break;
            }

            sb.Append(s, position, found - position).Append(newValue);
            CheckLength(sb.Length);
            position = found + oldValue.Length;
            remaining--;
        }

        sb.Append(s, position, s.Length - position);
        CheckLength(sb.Length);
        return JinjaValue.FromString(sb.ToString());
    }

    private JinjaValue FindIndex(string s, JinjaValue arg, bool throwIfMissing, bool fromEnd)
    {
        string needle = RequireString(arg, "find");
        int found = fromEnd ? s.LastIndexOf(needle, StringComparison.Ordinal) : s.IndexOf(needle, StringComparison.Ordinal);
        if (found < 0 && throwIfMissing)
        {
            throw Fail("substring not found");
        }

        return JinjaValue.FromInt(found);
    }

    /// <summary>Python's <c>str.format</c> for <c>{}</c>, <c>{0}</c> and <c>{name}</c> fields (no format specs).</summary>
    private JinjaValue Format(string s, List<JinjaValue> args)
    {
        OrderedDictionary<string, JinjaValue> kwargs = args.Count > 0 && args[^1].Kind == ValueKind.KeywordArguments ? args[^1].Dict! : [];
        int positionalCount = kwargs.Count > 0 ? args.Count - 1 : args.Count;
        var sb = new StringBuilder(s.Length);
        int auto = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '{' && i + 1 < s.Length && s[i + 1] == '{')
            {
                sb.Append('{');
                i++;
            }
            else if (c == '}' && i + 1 < s.Length && s[i + 1] == '}')
            {
                sb.Append('}');
                i++;
            }
            else if (c == '{')
            {
                int close = s.IndexOf('}', i);
                if (close < 0)
                {
                    throw Fail("Single '{' encountered in format string");
                }

                string field = s[(i + 1)..close];
                JinjaValue value;
                if (field.Length == 0)
                {
                    value = auto < positionalCount ? args[auto++] : throw Fail("format(): not enough arguments");
                }
                else if (int.TryParse(field, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index))
                {
                    value = index < positionalCount ? args[index] : throw Fail("format(): index out of range");
                }
                else
                {
                    value = kwargs.GetValueOrDefault(field) ?? throw Fail($"format(): missing field '{field}'");
                }

                sb.Append(Display(value));
                CheckLength(sb.Length);
                i = close;
            }
            else
            {
                sb.Append(c);
            }
        }

        return JinjaValue.FromString(sb.ToString());
    }
}
