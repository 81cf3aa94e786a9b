using System.Globalization;
using System.Text;

namespace Sllm.ChatTemplates.Jinja;

/// <summary>Helpers shared by the filters: JSON options, argument lookup, joining, JavaScript number parsing.</summary>
internal sealed partial class Interpreter
{
    private JinjaValue ToJson(JinjaValue value, JsonFormatter.Options options)
    {
        string json = JsonFormatter.Serialize(value, options, limits.MaxOutputLength);
        CheckLength(json.Length);
        return JinjaValue.FromString(json);
    }

    private JsonFormatter.Options JsonOptions(List<JinjaValue> args, OrderedDictionary<string, JinjaValue> kwargs)
    {
        JinjaValue indent = Arg(args, kwargs, 0, "indent") ?? JinjaValue.Null;
        if (indent.Kind is not (ValueKind.Integer or ValueKind.Null))
        {
            throw Fail("If set, indent must be a number");
        }

        JinjaValue ensureAscii = kwargs.GetValueOrDefault("ensure_ascii") ?? JinjaValue.False;
        JinjaValue sortKeys = kwargs.GetValueOrDefault("sort_keys") ?? JinjaValue.False;
        if (ensureAscii.Kind != ValueKind.Boolean || sortKeys.Kind != ValueKind.Boolean)
        {
            throw Fail("If set, ensure_ascii and sort_keys must be booleans");
        }

        string? itemSeparator = null;
        string? keySeparator = null;
        JinjaValue separators = kwargs.GetValueOrDefault("separators") ?? JinjaValue.Null;
        if (separators.IsArray)
        {
            if (separators.List!.Count != 2 || separators.List[0].Kind != ValueKind.String || separators.List[1].Kind != ValueKind.String)
            {
                throw Fail("separators must be a tuple of two strings");
            }

            itemSeparator = separators.List[0].Str;
            keySeparator = separators.List[1].Str;
        }
        else if (separators.Kind != ValueKind.Null)
        {
            throw Fail("If set, separators must be a tuple of two strings");
        }

        return new JsonFormatter.Options((int)Math.Clamp(indent.Int, 0, 64), ensureAscii.Bool, sortKeys.Bool, itemSeparator, keySeparator);
    }

    private static JinjaValue? Arg(List<JinjaValue> args, OrderedDictionary<string, JinjaValue> kwargs, int index, string name) =>
        index < args.Count && args[index].Kind != ValueKind.KeywordArguments ? args[index] : kwargs.GetValueOrDefault(name);

    private JinjaValue JoinRaw(List<JinjaValue> items, string separator)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(separator);
            }

            sb.Append(Raw(items[i]));
            CheckLength(sb.Length);
        }

        return JinjaValue.FromString(sb.ToString());
    }

    private JinjaValue ConcatChecked(List<string> parts, string separator)
    {
        string joined = string.Join(separator, parts);
        CheckLength(joined.Length);
        return JinjaValue.FromString(joined);
    }

    /// <summary>JavaScript <c>parseInt(s, 10)</c>: leading whitespace, optional sign, then digits; NaN when none.</summary>
    private static double ParseIntPrefix(string s)
    {
        string t = CharClass.TrimStart(s);
        int i = 0;
        bool negative = false;
        if (i < t.Length && t[i] is '+' or '-')
        {
            negative = t[i] == '-';
            i++;
        }

        int start = i;
        while (i < t.Length && char.IsAsciiDigit(t[i]))
        {
            i++;
        }

        if (i == start)
        {
            return double.NaN;
        }

        double value = double.Parse(t.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture);
        return negative ? -value : value;
    }

    /// <summary>JavaScript <c>parseFloat(s)</c>: the longest decimal-literal prefix (or Infinity); NaN when none.</summary>
    private static double ParseFloatPrefix(string s)
    {
        string t = CharClass.TrimStart(s);
        int i = 0;
        if (i < t.Length && t[i] is '+' or '-')
        {
            i++;
        }

        if (string.CompareOrdinal(t, i, "Infinity", 0, 8) == 0)
        {
            return t[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
        }

        int digits = 0;
        while (i < t.Length && char.IsAsciiDigit(t[i]))
        {
            i++;
            digits++;
        }

        if (i < t.Length && t[i] == '.')
        {
            i++;
            while (i < t.Length && char.IsAsciiDigit(t[i]))
            {
                i++;
                digits++;
            }
        }

        if (digits == 0)
        {
            return double.NaN;
        }

        int mantissaEnd = i;
        if (i < t.Length && t[i] is 'e' or 'E')
        {
            int j = i + 1;
            if (j < t.Length && t[j] is '+' or '-')
            {
                j++;
            }

            int expStart = j;
            while (j < t.Length && char.IsAsciiDigit(t[j]))
            {
                j++;
            }

            if (j > expStart)
            {
                mantissaEnd = j;
            }
        }

        return double.Parse(t.AsSpan(0, mantissaEnd), NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
