using System.Globalization;
using System.Numerics;
using System.Text;

namespace Sllm.ChatTemplates.Jinja;

/// <summary>String conversions with the reference's JavaScript semantics.</summary>
internal static class ValueFormatter
{
    /// <summary>What <c>{{ value }}</c> prints (the reference's <c>toString()</c>): floats keep <c>.0</c>, lists and dicts print as JSON.</summary>
    /// <param name="value">The value.</param>
    /// <param name="maxLength">The longest text allowed; longer fails with a <see cref="ChatTemplateException"/> before it is built.</param>
    public static string Display(JinjaValue value, int maxLength) => value.Kind switch
    {
        ValueKind.String => value.Str!,
        ValueKind.Integer => value.Int.ToString(CultureInfo.InvariantCulture),
        ValueKind.Float => FloatToString(value.Float),
        ValueKind.Boolean => value.Bool ? "true" : "false",
        ValueKind.Null => "null",
        ValueKind.Undefined => "undefined",
        ValueKind.Function => "[function]",
        _ => JsonFormatter.Serialize(value, JsonFormatter.Options.Default, maxLength, convertUndefinedToNull: false),
    };

    /// <summary>JavaScript's <c>String(raw value)</c>, which <c>~</c>, <c>+</c> and <c>join</c> use: floats print as JS numbers
    /// (<c>2.0</c> → <c>2</c>), lists join their items with commas, dicts print as <c>[object Map]</c>, null and undefined as empty.</summary>
    /// <param name="value">The value.</param>
    /// <param name="maxLength">The longest text allowed; longer fails with a <see cref="ChatTemplateException"/> before it is built.</param>
    public static string Raw(JinjaValue value, int maxLength) => value.Kind switch
    {
        ValueKind.String => value.Str!,
        ValueKind.Integer => value.Int.ToString(CultureInfo.InvariantCulture),
        ValueKind.Float => JsNumber(value.Float),
        ValueKind.Boolean => value.Bool ? "true" : "false",
        ValueKind.Null or ValueKind.Undefined => string.Empty,
        ValueKind.Array or ValueKind.Tuple => JoinDisplay(value.List!, maxLength),
        ValueKind.Object or ValueKind.KeywordArguments => "[object Map]",
        _ => "[function]",
    };

    /// <summary>The reference's <c>FloatValue.toString()</c>: integral floats print with <c>.0</c>.</summary>
    public static string FloatToString(double d)
    {
        if (d == 0 && double.IsNegative(d))
        {
            return "-0.0";
        }

        if (double.IsInteger(d))
        {
            return Math.Abs(d) < 1e21 ? ((BigInteger)d).ToString(CultureInfo.InvariantCulture) + ".0" : JsNumber(d);
        }

        return JsNumber(d);
    }

    /// <summary>JavaScript's Number::toString (shortest round-trip digits, exponent outside 1e-7..1e21).</summary>
    public static string JsNumber(double d)
    {
        if (double.IsNaN(d))
        {
            return "NaN";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "Infinity" : "-Infinity";
        }

        if (d == 0)
        {
            return "0";
        }

        string r = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        int exponent = 0;
        int e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..e];
        }

        int point = r.IndexOf('.', StringComparison.Ordinal);
        string digits = point >= 0 ? r.Remove(point, 1) : r;
        int n = (point >= 0 ? point : r.Length) + exponent;
        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
        }

        digits = digits[lead..];
        n -= lead;
        digits = digits.TrimEnd('0');
        int k = digits.Length;
        var sb = new StringBuilder(24);
        if (d < 0)
        {
            sb.Append('-');
        }

        if (k <= n && n <= 21)
        {
            sb.Append(digits).Append('0', n - k);
        }
        else if (n > 0 && n <= 21)
        {
            sb.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (n > -6 && n <= 0)
        {
            sb.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            int exp = n - 1;
            sb.Append(digits[0]);
            if (k > 1)
            {
                sb.Append('.').Append(digits, 1, k - 1);
            }

            sb.Append('e').Append(exp < 0 ? '-' : '+').Append(Math.Abs(exp).ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    private static string JoinDisplay(List<JinjaValue> items, int maxLength)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append(Display(items[i], maxLength - sb.Length));
            if (sb.Length > maxLength)
            {
                throw JsonFormatter.TooLong(maxLength);
            }
        }

        return sb.ToString();
    }
}
