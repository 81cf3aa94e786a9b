using System.Globalization;
using System.Text;

namespace Sllm.ChatTemplates.Jinja;

/// <summary>The reference's <c>toJSON</c>: <c>", "</c>/<c>": "</c> separators, raw non-ASCII, key order preserved,
/// Python-like <c>indent</c> (item separator <c>","</c> when indenting), optional <c>ensure_ascii</c> and <c>sort_keys</c>.</summary>
internal static class JsonFormatter
{
    /// <summary>Serializes a value, failing as soon as the text grows past <paramref name="maxLength"/>.</summary>
    /// <remarks>Lists and dicts are shared by reference, so a template can build a value whose text is exponentially
    /// longer than the work that built it (<c>x = [x, x]</c> in a loop); the budget is checked while writing, not after.</remarks>
    public static string Serialize(JinjaValue value, Options options, int maxLength, bool convertUndefinedToNull = true)
    {
        var sb = new StringBuilder();
        Write(sb, value, options, 0, convertUndefinedToNull, maxLength);
        return sb.ToString();
    }

    internal static ChatTemplateException TooLong(int maxLength) =>
        new($"Output or string value exceeds the limit of {maxLength} characters");

    public static void WriteString(StringBuilder sb, string s, bool ensureAscii)
    {
        sb.Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\b':
                    sb.Append("\\b");
                    break;
                case '\f':
                    sb.Append("\\f");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                default:
                    bool loneSurrogate = char.IsSurrogate(c) &&
                        !(char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) &&
                        !(char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(s[i - 1]));
                    if (c < 0x20 || loneSurrogate || (ensureAscii && c >= 0x7F))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    private static void Write(StringBuilder sb, JinjaValue value, Options options, int depth, bool undefinedToNull, int maxLength)
    {
        if (sb.Length > maxLength)
        {
            throw TooLong(maxLength);
        }

        switch (value.Kind)
        {
            case ValueKind.Null:
                sb.Append("null");
                return;
            case ValueKind.Undefined:
                sb.Append(undefinedToNull ? "null" : "undefined");
                return;
            case ValueKind.Boolean:
                sb.Append(value.Bool ? "true" : "false");
                return;
            case ValueKind.Integer:
                sb.Append(value.Int.ToString(CultureInfo.InvariantCulture));
                return;
            case ValueKind.Float:
                sb.Append(double.IsFinite(value.Float) ? ValueFormatter.JsNumber(value.Float) : "null");
                return;
            case ValueKind.String:
                WriteString(sb, value.Str!, options.EnsureAscii);
                return;
            case ValueKind.Function:
                throw new ChatTemplateException("Cannot convert to JSON: FunctionValue");
        }

        if (depth > 512)
        {
            throw new ChatTemplateException("Value is nested too deeply to convert to JSON");
        }

        int indent = options.Indent;
        string itemSeparator = options.ItemSeparator ?? (indent > 0 ? "," : ", ");
        string keySeparator = options.KeySeparator ?? ": ";
        if (value.IsArray)
        {
            List<JinjaValue> items = value.List!;
            sb.Append('[');
            for (int i = 0; i < items.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(itemSeparator);
                }

                NewLine(sb, indent, depth + 1);
                Write(sb, items[i], options, depth + 1, undefinedToNull, maxLength);
            }

            if (indent > 0 && items.Count == 0)
            {
                NewLine(sb, indent, depth + 1);
            }

            NewLine(sb, indent, depth);
            sb.Append(']');
            return;
        }

        IEnumerable<KeyValuePair<string, JinjaValue>> entries = value.Dict!;
        if (options.SortKeys)
        {
            // Python's json.dumps sorts keys by code point, not by culture (and the sort filters here are ordinal too).
            KeyValuePair<string, JinjaValue>[] sorted = [.. value.Dict!];
            Array.Sort(sorted, static (x, y) => string.CompareOrdinal(x.Key, y.Key));
            entries = sorted;
        }

        sb.Append('{');
        bool first = true;
        foreach (KeyValuePair<string, JinjaValue> entry in entries)
        {
            if (!first)
            {
                sb.Append(itemSeparator);
            }

            first = false;
            NewLine(sb, indent, depth + 1);
            WriteString(sb, entry.Key, options.EnsureAscii);
            sb.Append(keySeparator);
            Write(sb, entry.Value, options, depth + 1, undefinedToNull, maxLength);
        }

        NewLine(sb, indent, depth);
        sb.Append('}');
    }

    private static void NewLine(StringBuilder sb, int indent, int depth)
    {
        if (indent > 0)
        {
            sb.Append('\n').Append(' ', indent * depth);
        }
    }

    /// <summary>Serialization options; <see cref="Default"/> is <c>tojson</c> without arguments.</summary>
    internal readonly record struct Options(int Indent, bool EnsureAscii, bool SortKeys, string? ItemSeparator, string? KeySeparator)
    {
        public static Options Default => default;
    }
}
