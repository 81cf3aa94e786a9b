using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sllm.ChatTemplates.Jinja;

/// <summary>Expression evaluation: literals, variables, member access, slices, calls.</summary>
internal sealed partial class Interpreter
{
    internal JinjaValue Eval(Node node, Scope scope)
    {
        position = node.Position;

        // Chains are bounded by the parser one kind at a time; alternating them (((x.a.a + 1 + 1).a.a + 1) ...) can still
        // nest deeper than the stack allows.
        if (node.Chain > 0 && !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Fail("The expression nests too deeply for the stack");
        }

        switch (node.Kind)
        {
            case NodeKind.Literal:
                return node.Value!;
            case NodeKind.Identifier:
                return scope.Lookup(node.Name!);
            case NodeKind.Member:
                return EvalMember(node, scope);
            case NodeKind.Binary:
                return EvalBinary(node, scope);
            case NodeKind.Filter:
            {
                JinjaValue operand = Eval(node.A!, scope);
                position = node.Position;
                return ApplyFilter(operand, node.Name!, node.Items, scope);
            }

            case NodeKind.Call:
                return EvalCall(node, scope);
            case NodeKind.Test:
                return EvalTest(node, scope);
            case NodeKind.Negate:
                return JinjaValue.FromBool(!Eval(node.A!, scope).IsJsTruthy());
            case NodeKind.Ternary:
                return Eval(node.A!, scope).IsTruthy() ? Eval(node.B!, scope) : Eval(node.C!, scope);
            case NodeKind.Select:
                return Eval(node.B!, scope).IsTruthy() ? Eval(node.A!, scope) : JinjaValue.Undefined;
            case NodeKind.UnaryMinus:
            case NodeKind.UnaryPlus:
                return EvalSign(node, scope);
            case NodeKind.Slice:
                return EvalSlice(node, scope);
            case NodeKind.ArrayLiteral:
            case NodeKind.TupleLiteral:
            {
                Node[] items = node.Items!;
                var list = new List<JinjaValue>(items.Length);
                foreach (Node item in items)
                {
                    list.Add(Eval(item, scope));
                }

                return node.Kind == NodeKind.ArrayLiteral ? JinjaValue.FromList(list) : JinjaValue.FromTuple(list);
            }

            case NodeKind.DictLiteral:
            {
                var dict = new OrderedDictionary<string, JinjaValue>(node.Items!.Length);
                for (int i = 0; i < node.Items.Length; i++)
                {
                    JinjaValue key = Eval(node.Items[i], scope);
                    if (key.Kind != ValueKind.String)
                    {
                        throw Fail($"Object keys must be strings: got {key.TypeName}");
                    }

                    dict[key.Str!] = Eval(node.Items2![i], scope);
                }

                return JinjaValue.FromDict(dict);
            }

            default:
                throw Fail($"Unexpected {node.Kind} in an expression");
        }
    }

    private JinjaValue EvalSign(Node node, Scope scope)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Fail("The expression nests too deeply for the stack");
        }

        JinjaValue argument = Eval(node.A!, scope);
        int sign = node.Kind == NodeKind.UnaryMinus ? -1 : 1;
        return argument.Kind switch
        {
            ValueKind.Integer or ValueKind.Boolean => JinjaValue.FromInt(sign * argument.Int),
            ValueKind.Float => JinjaValue.FromFloat(sign * argument.Float),
            _ => throw Fail($"Unknown operator \"{(sign < 0 ? "-" : "+")}\" for {argument.TypeName}"),
        };
    }

    private JinjaValue EvalMember(Node node, Scope scope)
    {
        JinjaValue obj = Eval(node.A!, scope);
        if (node.Name is not null)
        {
            return GetAttribute(obj, node.Name);
        }

        JinjaValue key = Eval(node.B!, scope);
        position = node.Position;
        return GetItem(obj, key);
    }

    /// <summary>Dot access: a dict key first, then a method or property of the value's type; anything else is undefined.</summary>
    internal static JinjaValue GetAttribute(JinjaValue obj, string name)
    {
        if (obj.IsObject && obj.Dict!.TryGetValue(name, out JinjaValue? value))
        {
            return value;
        }

        return GetBuiltin(obj, name) ?? JinjaValue.Undefined;
    }

    internal JinjaValue GetItem(JinjaValue obj, JinjaValue key)
    {
        if (obj.IsObject)
        {
            if (key.Kind != ValueKind.String)
            {
                throw Fail($"Cannot access property with non-string: got {key.TypeName}");
            }

            return GetAttribute(obj, key.Str!);
        }

        if (obj.IsArray || obj.Kind == ValueKind.String)
        {
            if (key.Kind == ValueKind.Integer)
            {
                int length = obj.IsArray ? obj.List!.Count : obj.Str!.Length;
                long index = key.Int < 0 ? key.Int + length : key.Int;
                if (index < 0 || index >= length)
                {
                    return JinjaValue.Undefined;
                }

                return obj.IsArray ? obj.List![(int)index] : JinjaValue.FromString(obj.Str![(int)index].ToString());
            }

            if (key.Kind == ValueKind.String)
            {
                return GetBuiltin(obj, key.Str!) ?? JinjaValue.Undefined;
            }

            throw Fail($"Cannot access property with non-string/non-number: got {key.TypeName}");
        }

        if (key.Kind != ValueKind.String)
        {
            throw Fail($"Cannot access property with non-string: got {key.TypeName}");
        }

        return JinjaValue.Undefined;
    }

    private JinjaValue EvalSlice(Node node, Scope scope)
    {
        JinjaValue obj = Eval(node.A!, scope);
        long? start = SliceBound(node.B, scope, "start");
        long? stop = SliceBound(node.C, scope, "stop");
        long? step = SliceBound(node.D, scope, "step");
        position = node.Position;
        if (!obj.IsArray && obj.Kind != ValueKind.String)
        {
            throw Fail("Slice object must be an array or string");
        }

        if (step == 0)
        {
            throw Fail("Slice step cannot be zero");
        }

        // A string slice goes through a list of code points, an item per character.
        Work(obj.IsArray ? Size(obj) : (long)obj.Str!.Length * ItemCost);

        if (obj.IsArray)
        {
            return JinjaValue.FromList(SliceList(obj.List!, start, stop, step ?? 1));
        }

        // Strings slice by code point (the reference slices Array.from(string)); without surrogates, code points are chars.
        string text = obj.Str!;
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            List<char> chars = SliceList([.. text], start, stop, step ?? 1);
            return JinjaValue.FromString(new string(CollectionsMarshal.AsSpan(chars)));
        }

        List<string> points = CodePoints(text);
        List<string> sliced = SliceList(points, start, stop, step ?? 1);
        return JinjaValue.FromString(string.Concat(sliced));
    }

    private long? SliceBound(Node? node, Scope scope, string what)
    {
        if (node is null)
        {
            return null;
        }

        JinjaValue value = Eval(node, scope);
        return value.Kind switch
        {
            ValueKind.Integer => value.Int,
            ValueKind.Undefined => null,
            _ => throw Fail($"Slice {what} must be numeric or undefined"),
        };
    }

    internal static List<T> SliceList<T>(List<T> array, long? startArg, long? stopArg, long step)
    {
        long length = array.Count;
        long start;
        long stop;
        if (step > 0)
        {
            start = startArg ?? 0;
            start = start < 0 ? Math.Max(length + start, 0) : Math.Min(start, length);
            stop = stopArg ?? length;
            stop = stop < 0 ? Math.Max(length + stop, 0) : Math.Min(stop, length);
        }
        else
        {
            start = startArg ?? length - 1;
            start = start < 0 ? Math.Max(length + start, -1) : Math.Min(start, length - 1);
            stop = stopArg ?? -1;
            stop = stop < -1 ? Math.Max(length + stop, -1) : Math.Min(stop, length - 1);
        }

        var result = new List<T>();
        int direction = step > 0 ? 1 : -1;
        for (long i = start; direction * i < direction * stop; i += step)
        {
            result.Add(array[(int)i]);
        }

        return result;
    }

    internal static List<string> CodePoints(string s)
    {
        var points = new List<string>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                points.Add(s.Substring(i, 2));
                i++;
            }
            else
            {
                points.Add(s[i].ToString());
            }
        }

        return points;
    }

    private JinjaValue EvalCall(Node node, Scope scope)
    {
        List<JinjaValue> args = EvalArguments(node.Items!, scope, out OrderedDictionary<string, JinjaValue>? kwargs);
        if (kwargs is not null)
        {
            args.Add(JinjaValue.FromKeywordArguments(kwargs));
        }

        Node callee = node.A!;

        // obj.method(...) calls the method directly instead of materialising a bound function.
        if (callee.Kind == NodeKind.Member && callee.Name is not null)
        {
            JinjaValue target = Eval(callee.A!, scope);
            position = node.Position;
            if (!(target.IsObject && target.Dict!.ContainsKey(callee.Name)) && TryCallMethod(target, callee.Name, args, out JinjaValue result))
            {
                return result;
            }

            return CallValue(GetAttribute(target, callee.Name), args, scope);
        }

        JinjaValue fn = Eval(callee, scope);
        position = node.Position;
        return CallValue(fn, args, scope);
    }

    private JinjaValue CallValue(JinjaValue fn, List<JinjaValue> args, Scope scope)
    {
        if (fn.Kind != ValueKind.Function)
        {
            throw Fail($"Cannot call something that is not a function: got {fn.TypeName}");
        }

        return fn.Function!(this, args, scope);
    }

    internal List<JinjaValue> EvalArguments(Node[] argNodes, Scope scope, out OrderedDictionary<string, JinjaValue>? kwargs)
    {
        var positional = new List<JinjaValue>(argNodes.Length + 1);
        kwargs = null;
        foreach (Node argument in argNodes)
        {
            if (argument.Kind == NodeKind.Spread)
            {
                JinjaValue value = Eval(argument.A!, scope);
                if (!value.IsArray)
                {
                    throw Fail($"Cannot unpack non-iterable type: {value.TypeName}");
                }

                positional.AddRange(value.List!);
            }
            else if (argument.Kind == NodeKind.KeywordArgument)
            {
                kwargs ??= [];
                kwargs[argument.Name!] = Eval(argument.A!, scope);
            }
            else
            {
                if (kwargs is not null)
                {
                    throw Fail("Positional arguments must come before keyword arguments");
                }

                positional.Add(Eval(argument, scope));
            }
        }

        return positional;
    }

    internal static List<JinjaValue> Keys(JinjaValue obj)
    {
        var keys = new List<JinjaValue>(obj.Dict!.Count);
        foreach (KeyValuePair<string, JinjaValue> pair in obj.Dict)
        {
            keys.Add(JinjaValue.FromString(pair.Key));
        }

        return keys;
    }
}
