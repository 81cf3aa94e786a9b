namespace Sllm.ChatTemplates.Jinja;

/// <summary>Filters on lists: sorting, selection, mapping, aggregation.</summary>
internal sealed partial class Interpreter
{
    private JinjaValue? ArrayFilter(JinjaValue operand, string name, List<JinjaValue> args, OrderedDictionary<string, JinjaValue> kwargs)
    {
        List<JinjaValue> items = operand.List!;
        switch (name)
        {
            case "list":
                return operand;
            case "first":
                return items.Count > 0 ? items[0] : JinjaValue.Undefined;
            case "last":
                return items.Count > 0 ? items[^1] : JinjaValue.Undefined;
            case "length" or "count":
                return JinjaValue.FromInt(items.Count);
            case "reverse":
            {
                var copy = new List<JinjaValue>(items);
                copy.Reverse();
                return JinjaValue.FromList(copy);
            }

            case "join":
                return JoinRaw(items, string.Empty);
            case "string":
                return JinjaValue.FromString(JsonFormatter.Serialize(operand, JsonFormatter.Options.Default, limits.MaxOutputLength, convertUndefinedToNull: false));
            case "default" or "d":
                return operand;
            case "unique":
            {
                var output = new List<JinjaValue>();
                foreach (JinjaValue item in items)
                {
                    Work((long)output.Count * ItemCost);
                    bool seen = false;
                    foreach (JinjaValue existing in output)
                    {
                        if (StrictEquals(existing, item))
                        {
                            seen = true;
                            break;
                        }
                    }

                    if (!seen)
                    {
                        output.Add(item);
                    }
                }

                return JinjaValue.FromList(output);
            }

            case "sort":
                return Sort(operand, args, kwargs);
            case "map":
                return Map(operand, args, kwargs);
            case "select" or "reject":
                return Select(operand, name == "select", args);
            case "items":
                return operand;
            case "sum":
            {
                JinjaValue total = Arg(args, kwargs, 1, "start") ?? JinjaValue.FromInt(0);
                JinjaValue? attribute = Arg(args, kwargs, 0, "attribute");
                foreach (JinjaValue item in items)
                {
                    total = Binary(BinaryOperator.Add, total, attribute is { Kind: ValueKind.String } ? AttributePath(item, attribute.Str!) : item);
                }

                return total;
            }

            case "min" or "max":
            {
                if (items.Count == 0)
                {
                    return JinjaValue.Undefined;
                }

                JinjaValue best = items[0];
                for (int i = 1; i < items.Count; i++)
                {
                    int c = Compare(items[i], best, caseSensitive: false);
                    if (name == "min" ? c < 0 : c > 0)
                    {
                        best = items[i];
                    }
                }

                return best;
            }

            case "batch":
            {
                JinjaValue size = Arg(args, kwargs, 0, "linecount") ?? throw Fail("batch requires a size");
                if (size.Kind != ValueKind.Integer || size.Int <= 0)
                {
                    throw Fail("batch size must be a positive integer");
                }

                JinjaValue? fill = Arg(args, kwargs, 1, "fill_with");
                if (fill is not null && items.Count % size.Int != 0)
                {
                    // The last batch is padded to the full size, which the template chose.
                    CheckCollection(size.Int);
                }

                // A size past the list is one batch (an int cast of a size over 2^31 could step by 0 and never end).
                int step = (int)Math.Min(size.Int, Math.Max(items.Count, 1));
                var batches = new List<JinjaValue>();
                for (int i = 0; i < items.Count; i += step)
                {
                    List<JinjaValue> batch = items.GetRange(i, Math.Min(step, items.Count - i));
                    while (fill is not null && batch.Count < size.Int)
                    {
                        batch.Add(fill);
                    }

                    batches.Add(JinjaValue.FromList(batch));
                }

                return JinjaValue.FromList(batches);
            }

            default:
                return null;
        }
    }

    private JinjaValue SelectAttr(JinjaValue operand, bool select, Node[] argNodes, Scope scope)
    {
        string name = select ? "selectattr" : "rejectattr";
        foreach (JinjaValue item in operand.List!)
        {
            if (!item.IsObject)
            {
                throw Fail($"`{name}` can only be applied to array of objects");
            }
        }

        foreach (Node arg in argNodes)
        {
            if (arg.Kind != NodeKind.Literal || arg.Value!.Kind != ValueKind.String)
            {
                throw Fail($"arguments of `{name}` must be strings");
            }
        }

        if (argNodes.Length == 0)
        {
            throw Fail($"`{name}` requires an attribute name");
        }

        string attribute = argNodes[0].Value!.Str!;
        string? testName = argNodes.Length > 1 ? argNodes[1].Value!.Str : null;
        List<JinjaValue> testArgs = argNodes.Length > 2 ? [Eval(argNodes[2], scope)] : [];
        var output = new List<JinjaValue>();
        foreach (JinjaValue item in operand.List!)
        {
            bool result = item.Dict!.TryGetValue(attribute, out JinjaValue? value) &&
                (testName is null ? value.IsTruthy() : RunTest(testName, value, testArgs, scope));
            if (result == select)
            {
                output.Add(item);
            }
        }

        return JinjaValue.FromList(output);
    }

    private JinjaValue Select(JinjaValue operand, bool select, List<JinjaValue> args)
    {
        var output = new List<JinjaValue>();
        string? testName = args.Count > 0 ? (args[0].Kind == ValueKind.String ? args[0].Str : throw Fail("test name must be a string")) : null;
        List<JinjaValue> testArgs = args.Count > 1 ? args.GetRange(1, args.Count - 1) : [];
        foreach (JinjaValue item in operand.List!)
        {
            bool result = testName is null ? item.IsTruthy() : RunTest(testName, item, testArgs, null);
            if (result == select)
            {
                output.Add(item);
            }
        }

        return JinjaValue.FromList(output);
    }

    private JinjaValue Map(JinjaValue operand, List<JinjaValue> args, OrderedDictionary<string, JinjaValue> kwargs)
    {
        var mapped = new List<JinjaValue>(operand.List!.Count);
        if (kwargs.TryGetValue("attribute", out JinjaValue? attribute))
        {
            if (attribute.Kind != ValueKind.String)
            {
                throw Fail("attribute must be a string");
            }

            JinjaValue? fallback = kwargs.GetValueOrDefault("default");
            foreach (JinjaValue item in operand.List)
            {
                if (!item.IsObject)
                {
                    throw Fail("items in map must be an object");
                }

                JinjaValue value = AttributePath(item, attribute.Str!);
                mapped.Add(value.Kind == ValueKind.Undefined ? fallback ?? JinjaValue.Undefined : value);
            }

            return JinjaValue.FromList(mapped);
        }

        if (args.Count > 0 && args[0].Kind == ValueKind.String)
        {
            // Extension: map('filter', args...), as Jinja allows.
            string filter = args[0].Str!;
            List<JinjaValue> rest = args.GetRange(1, args.Count - 1);
            foreach (JinjaValue item in operand.List)
            {
                mapped.Add(rest.Count == 0 && kwargs.Count == 0
                    ? ApplyBareFilter(item, filter)
                    : ApplyCalledFilter(item, filter, [.. rest], kwargs));
            }

            return JinjaValue.FromList(mapped);
        }

        throw Fail("`map` expressions without `attribute` set are not currently supported.");
    }

    private JinjaValue Sort(JinjaValue operand, List<JinjaValue> args, OrderedDictionary<string, JinjaValue> kwargs)
    {
        JinjaValue reverse = Arg(args, kwargs, 0, "reverse") ?? JinjaValue.False;
        JinjaValue caseSensitive = Arg(args, kwargs, 1, "case_sensitive") ?? JinjaValue.False;
        JinjaValue attribute = Arg(args, kwargs, 2, "attribute") ?? JinjaValue.Null;
        if (reverse.Kind != ValueKind.Boolean || caseSensitive.Kind != ValueKind.Boolean)
        {
            throw Fail("reverse and case_sensitive must be booleans");
        }

        string? path = attribute.Kind switch
        {
            ValueKind.Null => null,
            ValueKind.String => attribute.Str,
            ValueKind.Integer => attribute.Int.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => throw Fail("attribute must be a string, integer, or null"),
        };

        int count = operand.List!.Count;
        Work((long)count * (1 + (int)Math.Log2(count + 1)) * ItemCost);
        int sign = reverse.Bool ? -1 : 1;
        return JinjaValue.FromList(StableSort(operand.List!, (a, b) =>
            sign * Compare(path is null ? a : AttributePath(a, path), path is null ? b : AttributePath(b, path), caseSensitive.Bool)));
    }

    /// <summary>A stable merge sort (JavaScript's sort is stable; List.Sort is not).</summary>
    internal static List<JinjaValue> StableSort(List<JinjaValue> items, Comparison<JinjaValue> comparison)
    {
        JinjaValue[] a = [.. items];
        var tmp = new JinjaValue[a.Length];
        for (int width = 1; width < a.Length; width *= 2)
        {
            for (int lo = 0; lo < a.Length - width; lo += 2 * width)
            {
                int mid = lo + width;
                int hi = Math.Min(lo + (2 * width), a.Length);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi)
                {
                    tmp[k++] = comparison(a[j], a[i]) < 0 ? a[j++] : a[i++];
                }

                while (i < mid)
                {
                    tmp[k++] = a[i++];
                }

                while (j < hi)
                {
                    tmp[k++] = a[j++];
                }

                Array.Copy(tmp, lo, a, lo, hi - lo);
            }
        }

        return [.. a];
    }

    /// <summary>The reference's <c>compareRuntimeValues</c>: numbers and booleans together, strings (case-insensitive by default), nothing else.</summary>
    internal int Compare(JinjaValue a, JinjaValue b, bool caseSensitive)
    {
        if (a.Kind == ValueKind.Null || b.Kind == ValueKind.Null || a.Kind == ValueKind.Undefined || b.Kind == ValueKind.Undefined)
        {
            if (a.Kind == b.Kind)
            {
                return 0;
            }

            throw Fail($"Cannot compare {a.TypeName} with {b.TypeName}");
        }

        bool aNumeric = a.IsNumber || a.Kind == ValueKind.Boolean;
        bool bNumeric = b.IsNumber || b.Kind == ValueKind.Boolean;
        if (aNumeric && bNumeric)
        {
            return a.Number.CompareTo(b.Number);
        }

        if (a.Kind != b.Kind)
        {
            throw Fail($"Cannot compare different types: {a.TypeName} and {b.TypeName}");
        }

        if (a.Kind != ValueKind.String)
        {
            throw Fail($"Cannot compare type: {a.TypeName}");
        }

        string x = caseSensitive ? a.Str! : a.Str!.ToLowerInvariant();
        string y = caseSensitive ? b.Str! : b.Str!.ToLowerInvariant();
        return Math.Sign(string.CompareOrdinal(x, y));
    }

    /// <summary>Dotted attribute paths (<c>a.b.0</c>) into dicts and lists; undefined when any step is missing.</summary>
    internal static JinjaValue AttributePath(JinjaValue item, string path)
    {
        JinjaValue value = item;
        foreach (string part in path.Split('.'))
        {
            if (value.IsObject)
            {
                value = value.Dict!.TryGetValue(part, out JinjaValue? next) ? next : JinjaValue.Undefined;
            }
            else if (value.IsArray && int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index) && index < value.List!.Count)
            {
                value = value.List[index];
            }
            else
            {
                return JinjaValue.Undefined;
            }
        }

        return value;
    }

    private static JinjaValue Items(JinjaValue obj)
    {
        var list = new List<JinjaValue>(obj.Dict!.Count);
        foreach (KeyValuePair<string, JinjaValue> pair in obj.Dict)
        {
            list.Add(JinjaValue.FromList([JinjaValue.FromString(pair.Key), pair.Value]));
        }

        return JinjaValue.FromList(list);
    }
}
