namespace Sllm.ChatTemplates.Jinja;

/// <summary>The global functions and constants every render sees. Shared and never written to: renders put their
/// variables in a child scope.</summary>
internal static class Globals
{
    public static Scope Scope { get; } = Create();

    private static Scope Create()
    {
        var scope = new Scope(null);
        scope.Set("true", JinjaValue.True);
        scope.Set("false", JinjaValue.False);
        scope.Set("none", JinjaValue.Null);
        scope.Set("True", JinjaValue.True);
        scope.Set("False", JinjaValue.False);
        scope.Set("None", JinjaValue.Null);
        scope.Set("raise_exception", JinjaValue.FromFunction(static (interpreter, args, _) =>
            throw interpreter.Fail(args.Count > 0 ? interpreter.Raw(args[0]) : "undefined")));
        scope.Set("range", JinjaValue.FromFunction(Range));
        scope.Set("strftime_now", JinjaValue.FromFunction(static (interpreter, args, _) =>
            JinjaValue.FromString(Strftime.Format(interpreter.Now(), args.Count > 0 && args[0].Kind == ValueKind.String
                ? args[0].Str!
                : throw interpreter.Fail("strftime_now() needs a format string")))));
        scope.Set("namespace", JinjaValue.FromFunction(static (interpreter, args, _) =>
        {
            if (args.Count == 0)
            {
                return JinjaValue.FromDict([]);
            }

            if (args.Count != 1 || !args[0].IsObject)
            {
                throw interpreter.Fail("`namespace` expects either zero arguments or a single object argument");
            }

            return args[0].Kind == ValueKind.KeywordArguments ? JinjaValue.FromDict(args[0].Dict!) : args[0];
        }));
        scope.Set("dict", JinjaValue.FromFunction(static (interpreter, args, _) =>
        {
            var dict = new OrderedDictionary<string, JinjaValue>();
            foreach (JinjaValue arg in args)
            {
                if (!arg.IsObject)
                {
                    throw interpreter.Fail("dict() expects keyword arguments or a dict");
                }

                foreach (KeyValuePair<string, JinjaValue> pair in arg.Dict!)
                {
                    dict[pair.Key] = pair.Value;
                }
            }

            return JinjaValue.FromDict(dict);
        }));
        return scope;
    }

    private static JinjaValue Range(Interpreter interpreter, List<JinjaValue> args, Scope scope)
    {
        if (args.Count is 0 or > 3 || args.Exists(a => !a.IsNumber))
        {
            throw interpreter.Fail("range() expects one to three numbers");
        }

        double start = args.Count == 1 ? 0 : args[0].Number;
        double stop = args.Count == 1 ? args[0].Number : args[1].Number;
        double step = args.Count == 3 ? args[2].Number : 1;
        if (step == 0)
        {
            throw interpreter.Fail("range() step must not be zero");
        }

        double count = Math.Max(0, Math.Ceiling((stop - start) / step));
        interpreter.CheckCollection((long)Math.Min(count, long.MaxValue));
        var list = new List<JinjaValue>((int)count);
        for (int i = 0; i < (int)count; i++)
        {
            list.Add(JinjaValue.FromNumber(start + (i * step)));
        }

        return JinjaValue.FromList(list);
    }
}
