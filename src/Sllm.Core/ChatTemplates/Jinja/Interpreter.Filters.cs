using System.Globalization;
using System.Text;

namespace Sllm.ChatTemplates.Jinja;

/// <summary>Filters, dispatched like the reference: by name and operand type, bare (<c>x|f</c>) or called (<c>x|f(...)</c>).</summary>
internal sealed partial class Interpreter
{
    internal JinjaValue ApplyFilter(JinjaValue operand, string name, Node[]? argNodes, Scope scope)
    {
        if (argNodes is null)
        {
            return ApplyBareFilter(operand, name);
        }

        if (name is "selectattr" or "rejectattr" && operand.IsArray)
        {
            return SelectAttr(operand, name == "selectattr", argNodes, scope);
        }

        List<JinjaValue> args = EvalArguments(argNodes, scope, out OrderedDictionary<string, JinjaValue>? kwargs);
        return ApplyCalledFilter(operand, name, args, kwargs ?? []);
    }

    private JinjaValue ApplyBareFilter(JinjaValue operand, string name)
    {
        JinjaValue result = ApplyBareFilterCore(operand, name);
        ChargeFilter(operand, name, result);
        return result;
    }

    /// <summary>Charges what a filter scanned and built: nothing for the constant-time ones templates call in every loop
    /// iteration (<c>messages|length</c>), and nothing for a result that is the operand itself (<c>x|default</c>).</summary>
    private void ChargeFilter(JinjaValue operand, string name, JinjaValue result)
    {
        bool constantTime = name is "length" or "count" or "first" or "last" or "default" or "d" or "safe";
        Work((constantTime ? 1 : Size(operand)) + (ReferenceEquals(result, operand) ? 0 : Size(result)));
    }

    private JinjaValue ApplyBareFilterCore(JinjaValue operand, string name)
    {
        switch (name)
        {
            case "safe":
                return operand;
            case "tojson":
                return ToJson(operand, JsonFormatter.Options.Default);
            case "default" or "d" when operand.Kind == ValueKind.Undefined:
                return JinjaValue.EmptyString;
        }

        switch (operand.Kind)
        {
            case ValueKind.Array:
            case ValueKind.Tuple:
                return ArrayFilter(operand, name, [], []) ?? throw Fail($"Unknown ArrayValue filter: {name}");
            case ValueKind.String:
                return StringFilter(operand, name, [], []) ?? throw Fail($"Unknown StringValue filter: {name}");
            case ValueKind.Integer:
            case ValueKind.Float:
                return name switch
                {
                    "abs" => operand.Kind == ValueKind.Integer ? JinjaValue.FromInt(Math.Abs(operand.Int)) : JinjaValue.FromFloat(Math.Abs(operand.Float)),
                    "int" => JinjaValue.FromNumber(Math.Floor(operand.Number)),
                    "float" => JinjaValue.FromFloat(operand.Number),
                    "string" => JinjaValue.FromString(Display(operand)),
                    "round" => JinjaValue.FromFloat(Math.Round(operand.Number, MidpointRounding.ToEven)),
                    "default" or "d" or "first" or "last" => operand,
                    _ => throw Fail($"Unknown NumericValue filter: {name}"),
                };
            case ValueKind.Object:
            case ValueKind.KeywordArguments:
                switch (name)
                {
                    case "items":
                        return Items(operand);
                    case "length" or "count":
                        return JinjaValue.FromInt(operand.Dict!.Count);
                    case "list":
                        return JinjaValue.FromList(Keys(operand));
                    case "default" or "d":
                        return operand;
                }

                if (TryCallMethod(operand, name, [], out JinjaValue result))
                {
                    return result;
                }

                throw Fail($"Unknown ObjectValue filter: {name}");
            case ValueKind.Boolean:
                return name switch
                {
                    "bool" or "default" or "d" => operand,
                    "int" => JinjaValue.FromInt(operand.Int),
                    "float" => JinjaValue.FromFloat(operand.Int),
                    "string" => JinjaValue.FromString(operand.Bool ? "true" : "false"),
                    _ => throw Fail($"Unknown BooleanValue filter: {name}"),
                };
        }

        throw Fail($"Cannot apply filter \"{name}\" to type: {operand.TypeName}");
    }

    private JinjaValue ApplyCalledFilter(JinjaValue operand, string name, List<JinjaValue> args, OrderedDictionary<string, JinjaValue> kwargs)
    {
        JinjaValue result = ApplyCalledFilterCore(operand, name, args, kwargs);
        ChargeFilter(operand, name, result);
        return result;
    }

    private JinjaValue ApplyCalledFilterCore(JinjaValue operand, string name, List<JinjaValue> args, OrderedDictionary<string, JinjaValue> kwargs)
    {
        switch (name)
        {
            case "safe":
                return operand;
            case "tojson":
                return ToJson(operand, JsonOptions(args, kwargs));
            case "join":
            {
                JinjaValue separator = Arg(args, kwargs, 0, "separator") ?? JinjaValue.EmptyString;
                if (separator.Kind != ValueKind.String)
                {
                    throw Fail("separator must be a string");
                }

                if (operand.Kind == ValueKind.String)
                {
                    return ConcatChecked(CodePoints(operand.Str!), separator.Str!);
                }

                if (!operand.IsArray)
                {
                    throw Fail($"Cannot apply filter \"join\" to type: {operand.TypeName}");
                }

                return JoinRaw(operand.List!, separator.Str!);
            }

            case "int":
            case "float":
            {
                JinjaValue fallback = Arg(args, kwargs, 0, "default") ?? (name == "int" ? JinjaValue.FromInt(0) : JinjaValue.FromFloat(0));
                switch (operand.Kind)
                {
                    case ValueKind.String:
                    {
                        double parsed = name == "int" ? ParseIntPrefix(operand.Str!) : ParseFloatPrefix(operand.Str!);
                        return double.IsNaN(parsed) ? fallback : name == "int" ? JinjaValue.FromNumber(parsed) : JinjaValue.FromFloat(parsed);
                    }

                    case ValueKind.Integer:
                    case ValueKind.Float:
                        return operand;
                    case ValueKind.Boolean:
                        return name == "int" ? JinjaValue.FromInt(operand.Int) : JinjaValue.FromFloat(operand.Int);
                    default:
                        throw Fail($"Cannot apply filter \"{name}\" to type: {operand.TypeName}");
                }
            }

            case "default":
            case "d":
            {
                JinjaValue fallback = args.Count > 0 ? args[0] : JinjaValue.EmptyString;
                JinjaValue boolean = (args.Count > 1 ? args[1] : null) ?? kwargs.GetValueOrDefault("boolean") ?? JinjaValue.False;
                if (boolean.Kind != ValueKind.Boolean)
                {
                    throw Fail("`default` filter flag must be a boolean");
                }

                return operand.Kind == ValueKind.Undefined || (boolean.Bool && !operand.IsTruthy()) ? fallback : operand;
            }
        }

        switch (operand.Kind)
        {
            case ValueKind.Array:
            case ValueKind.Tuple:
                return ArrayFilter(operand, name, args, kwargs) ?? throw Fail($"Unknown ArrayValue filter: {name}");
            case ValueKind.String:
                return StringFilter(operand, name, args, kwargs) ?? throw Fail($"Unknown StringValue filter: {name}");
            case ValueKind.Object:
            case ValueKind.KeywordArguments:
            {
                if (kwargs.Count > 0)
                {
                    args.Add(JinjaValue.FromKeywordArguments(kwargs));
                }

                if (TryCallMethod(operand, name, args, out JinjaValue result))
                {
                    return result;
                }

                throw Fail($"Unknown ObjectValue filter: {name}");
            }

            case ValueKind.Integer or ValueKind.Float when name == "round":
            {
                JinjaValue precision = Arg(args, kwargs, 0, "precision") ?? JinjaValue.FromInt(0);
                JinjaValue method = Arg(args, kwargs, 1, "method") ?? JinjaValue.FromString("common");
                double factor = Math.Pow(10, precision.Number);
                double x = operand.Number * factor;
                double rounded = method.Str switch
                {
                    "floor" => Math.Floor(x),
                    "ceil" => Math.Ceiling(x),
                    _ => Math.Round(x, MidpointRounding.AwayFromZero),
                };
                return JinjaValue.FromFloat(rounded / factor);
            }
        }

        throw Fail($"Cannot apply filter \"{name}\" to type: {operand.TypeName}");
    }

    private JinjaValue? StringFilter(JinjaValue operand, string name, List<JinjaValue> args, OrderedDictionary<string, JinjaValue> kwargs)
    {
        string s = operand.Str!;
        switch (name)
        {
            case "length" or "count":
                return JinjaValue.FromInt(s.Length);
            case "upper" or "lower" or "title" or "capitalize":
                return CallStringMethod(operand, name, []);
            case "trim":
                return JinjaValue.FromString(CharClass.Trim(s));
            case "join" or "string" or "safe" or "default" or "d":
                return operand;
            case "int":
            {
                double parsed = ParseIntPrefix(s);
                return double.IsNaN(parsed) ? JinjaValue.FromInt(0) : JinjaValue.FromNumber(parsed);
            }

            case "float":
            {
                double parsed = ParseFloatPrefix(s);
                return JinjaValue.FromFloat(double.IsNaN(parsed) ? 0 : parsed);
            }

            case "indent":
            {
                JinjaValue width = Arg(args, kwargs, 0, "width") ?? JinjaValue.FromInt(4);
                JinjaValue first = Arg(args, kwargs, 1, "first") ?? JinjaValue.False;
                JinjaValue blank = Arg(args, kwargs, 2, "blank") ?? JinjaValue.False;
                string pad = width.Kind switch
                {
                    ValueKind.Integer => new string(' ', (int)Math.Clamp(width.Int, 0, 1000)),
                    ValueKind.String => width.Str!,
                    _ => throw Fail("width must be a number"),
                };
                string[] lines = s.Split('\n');
                var sb = new StringBuilder(s.Length + (lines.Length * pad.Length));
                for (int i = 0; i < lines.Length; i++)
                {
                    if (i > 0)
                    {
                        sb.Append('\n');
                    }

                    bool skip = (!first.IsJsTruthy() && i == 0) || (!blank.IsJsTruthy() && lines[i].Length == 0);
                    if (!skip)
                    {
                        sb.Append(pad);
                    }

                    sb.Append(lines[i]);
                }

                CheckLength(sb.Length);
                return JinjaValue.FromString(sb.ToString());
            }

            case "replace":
            {
                if (kwargs.Count > 0)
                {
                    args.Add(JinjaValue.FromKeywordArguments(kwargs));
                }

                return CallStringMethod(operand, "replace", args);
            }

            case "list":
            {
                var list = new List<JinjaValue>();
                foreach (string point in CodePoints(s))
                {
                    list.Add(JinjaValue.FromString(point));
                }

                return JinjaValue.FromList(list);
            }

            case "reverse":
            {
                List<string> points = CodePoints(s);
                points.Reverse();
                return JinjaValue.FromString(string.Concat(points));
            }

            case "first":
                return s.Length == 0 ? JinjaValue.Undefined : JinjaValue.FromString(CodePoints(s)[0]);
            case "last":
                return s.Length == 0 ? JinjaValue.Undefined : JinjaValue.FromString(CodePoints(s)[^1]);
            case "wordcount":
                return JinjaValue.FromInt(SplitWhitespace(s, -1).Count);
            case "e" or "escape":
                return JinjaValue.FromString(s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
                    .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&#34;", StringComparison.Ordinal).Replace("'", "&#39;", StringComparison.Ordinal));
            default:
                return null;
        }
    }
}
