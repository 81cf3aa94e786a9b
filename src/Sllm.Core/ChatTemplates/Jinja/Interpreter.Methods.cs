namespace Sllm.ChatTemplates.Jinja;

/// <summary>Methods and properties of strings, lists and dicts (<c>s.strip()</c>, <c>d.items()</c>, <c>xs.length</c>).</summary>
internal sealed partial class Interpreter
{
    private static readonly HashSet<string> StringMethods =
    [
        "upper", "lower", "strip", "lstrip", "rstrip", "title", "capitalize", "startswith", "endswith", "split", "replace",
        "find", "rfind", "index", "count", "join", "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper",
        "splitlines", "removeprefix", "removesuffix", "format",
    ];

    private static readonly HashSet<string> ListMethods = ["append", "pop", "insert", "extend", "index", "count", "copy"];

    private static readonly HashSet<string> DictMethods = ["get", "items", "keys", "values", "dictsort", "pop", "update", "setdefault", "copy"];

    /// <summary>A property or bound method of a value's type, or null when it has none.</summary>
    private static JinjaValue? GetBuiltin(JinjaValue obj, string name)
    {
        if (name == "length" && (obj.Kind == ValueKind.String || obj.IsArray))
        {
            return JinjaValue.FromInt(obj.IsArray ? obj.List!.Count : obj.Str!.Length);
        }

        bool known = obj.Kind switch
        {
            ValueKind.String => StringMethods.Contains(name),
            ValueKind.Array or ValueKind.Tuple => ListMethods.Contains(name),
            ValueKind.Object or ValueKind.KeywordArguments => DictMethods.Contains(name),
            _ => false,
        };
        if (!known)
        {
            return null;
        }

        return JinjaValue.FromFunction((interpreter, args, _) =>
            interpreter.TryCallMethod(obj, name, args, out JinjaValue result) ? result : JinjaValue.Undefined);
    }

    internal bool TryCallMethod(JinjaValue target, string name, List<JinjaValue> args, out JinjaValue result)
    {
        JinjaValue? value = target.Kind switch
        {
            ValueKind.String when StringMethods.Contains(name) => CallStringMethod(target, name, args),
            ValueKind.Array or ValueKind.Tuple when ListMethods.Contains(name) => CallListMethod(target, name, args),
            ValueKind.Object or ValueKind.KeywordArguments when DictMethods.Contains(name) => CallDictMethod(target, name, args),
            _ => null,
        };
        result = value ?? JinjaValue.Undefined;
        if (value is not null)
        {
            // append/pop/get/setdefault/update touch one entry (or their argument) and return an existing value; charging
            // the whole list would make building a list with append in a loop quadratic.
            bool constantTime = name is "append" or "pop" or "get" or "setdefault" or "update";
            Work(constantTime ? 1 : Size(target) + Size(value));
        }

        return value is not null;
    }

    private JinjaValue CallListMethod(JinjaValue target, string name, List<JinjaValue> args)
    {
        List<JinjaValue> list = target.List!;
        JinjaValue arg = args.Count > 0 ? args[0] : JinjaValue.Undefined;
        switch (name)
        {
            case "append":
                CheckCollection(list.Count + 1L);
                list.Add(arg);
                return JinjaValue.Null;
            case "extend":
                if (!arg.IsArray)
                {
                    throw Fail("extend() needs a list");
                }

                CheckCollection((long)list.Count + arg.List!.Count);
                list.AddRange([.. arg.List]);
                return JinjaValue.Null;
            case "insert":
            {
                int index = (int)Math.Clamp(arg.Int < 0 ? arg.Int + list.Count : arg.Int, 0, list.Count);
                CheckCollection(list.Count + 1L);
                list.Insert(index, args.Count > 1 ? args[1] : JinjaValue.Undefined);
                return JinjaValue.Null;
            }

            case "pop":
            {
                if (list.Count == 0)
                {
                    throw Fail("pop from empty list");
                }

                long index = arg.Kind == ValueKind.Integer ? (arg.Int < 0 ? arg.Int + list.Count : arg.Int) : list.Count - 1;
                if (index < 0 || index >= list.Count)
                {
                    throw Fail("pop index out of range");
                }

                JinjaValue item = list[(int)index];
                list.RemoveAt((int)index);
                return item;
            }

            case "index":
                for (int i = 0; i < list.Count; i++)
                {
                    if (StrictEquals(list[i], arg))
                    {
                        return JinjaValue.FromInt(i);
                    }
                }

                throw Fail("value is not in list");
            case "count":
            {
                int count = 0;
                foreach (JinjaValue item in list)
                {
                    count += StrictEquals(item, arg) ? 1 : 0;
                }

                return JinjaValue.FromInt(count);
            }

            default:
                return JinjaValue.FromList([.. list]);
        }
    }

    private JinjaValue CallDictMethod(JinjaValue target, string name, List<JinjaValue> args)
    {
        OrderedDictionary<string, JinjaValue> dict = target.Dict!;
        JinjaValue key = args.Count > 0 ? args[0] : JinjaValue.Undefined;
        switch (name)
        {
            case "get":
                if (key.Kind != ValueKind.String)
                {
                    throw Fail($"Object key must be a string: got {key.TypeName}");
                }

                return dict.TryGetValue(key.Str!, out JinjaValue? found) ? found : args.Count > 1 ? args[1] : JinjaValue.Null;
            case "items":
                return Items(target);
            case "keys":
                return JinjaValue.FromList(Keys(target));
            case "values":
                return JinjaValue.FromList([.. dict.Values]);
            case "dictsort":
                return DictSort(target, args);
            case "pop":
                if (key.Kind == ValueKind.String && dict.Remove(key.Str!, out JinjaValue? removed))
                {
                    return removed;
                }

                return args.Count > 1 ? args[1] : throw Fail("pop(): key not found");
            case "setdefault":
                if (key.Kind != ValueKind.String)
                {
                    throw Fail($"Object key must be a string: got {key.TypeName}");
                }

                if (!dict.TryGetValue(key.Str!, out JinjaValue? existing))
                {
                    existing = args.Count > 1 ? args[1] : JinjaValue.Null;
                    dict[key.Str!] = existing;
                }

                return existing;
            case "update":
                foreach (JinjaValue source in args)
                {
                    if (!source.IsObject)
                    {
                        throw Fail("update() needs a dict");
                    }

                    foreach (KeyValuePair<string, JinjaValue> pair in source.Dict!)
                    {
                        dict[pair.Key] = pair.Value;
                    }
                }

                return JinjaValue.Null;
            default:
                return JinjaValue.FromDict(new OrderedDictionary<string, JinjaValue>(dict));
        }
    }

    private JinjaValue DictSort(JinjaValue target, List<JinjaValue> args)
    {
        OrderedDictionary<string, JinjaValue> kwargs = args.Count > 0 && args[^1].Kind == ValueKind.KeywordArguments ? args[^1].Dict! : [];
        List<JinjaValue> positional = kwargs.Count > 0 ? args.GetRange(0, args.Count - 1) : args;
        JinjaValue caseSensitive = Arg(positional, kwargs, 0, "case_sensitive") ?? JinjaValue.False;
        JinjaValue by = Arg(positional, kwargs, 1, "by") ?? JinjaValue.FromString("key");
        JinjaValue reverse = Arg(positional, kwargs, 2, "reverse") ?? JinjaValue.False;
        if (caseSensitive.Kind != ValueKind.Boolean || reverse.Kind != ValueKind.Boolean)
        {
            throw Fail("case_sensitive and reverse must be booleans");
        }

        if (by.Str is not ("key" or "value"))
        {
            throw Fail("by must be either 'key' or 'value'");
        }

        int index = by.Str == "key" ? 0 : 1;
        int sign = reverse.Bool ? -1 : 1;
        return JinjaValue.FromList(StableSort(Items(target).List!, (a, b) => sign * Compare(a.List![index], b.List![index], caseSensitive.Bool)));
    }
}
