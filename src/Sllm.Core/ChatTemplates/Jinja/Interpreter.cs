using System.Runtime.CompilerServices;
using System.Text;

namespace Sllm.ChatTemplates.Jinja;

/// <summary>Renders a parsed template with @huggingface/jinja's semantics. One instance per render; not thread-safe.</summary>
/// <remarks>Statements live here; expressions, operators, filters, tests, methods, macros and the sandbox accounting
/// (Interpreter.Limits.cs) in the other partial files.</remarks>
internal sealed partial class Interpreter
{
    private readonly SourceText source;
    private readonly ChatTemplateOptions limits;
    private readonly TimeProvider timeProvider;
    private int callDepth;
    private int position;

    public Interpreter(SourceText source, ChatTemplateOptions limits, TimeProvider timeProvider)
    {
        this.source = source;
        this.limits = limits;
        this.timeProvider = timeProvider;
    }

    public string Render(Node[] program, Scope globals)
    {
        var sb = new StringBuilder();
        try
        {
            Exec(program, globals, sb);
        }
        catch (ChatTemplateException e) when (e.Line == 0)
        {
            throw source.Error(SllmErrorKind.TemplateRender, e.TemplateMessage, position, e);
        }
        catch (InsufficientExecutionStackException e)
        {
            throw source.Error(SllmErrorKind.TemplateRender, "The template nests too deeply for the stack", position, e);
        }

        return sb.ToString();
    }

    /// <summary>Builds a render error at the construct being evaluated.</summary>
    internal ChatTemplateException Fail(string message) => source.Error(SllmErrorKind.TemplateRender, message, position);

    /// <summary>The local time <c>strftime_now</c> formats, from the caller's clock.</summary>
    internal DateTimeOffset Now() => timeProvider.GetLocalNow();

    private ExecSignal Exec(Node[] body, Scope scope, StringBuilder sb)
    {
        for (int i = 0; i < body.Length; i++)
        {
            Node node = body[i];
            position = node.Position;
            switch (node.Kind)
            {
                case NodeKind.Text:
                    Work(node.Name!.Length);
                    sb.Append(node.Name);
                    break;
                case NodeKind.Output:
                    Append(sb, Eval(node.A!, scope));
                    break;
                case NodeKind.If:
                {
                    ExecSignal signal = Exec(Eval(node.A!, scope).IsTruthy() ? node.Body! : node.Else!, scope, sb);
                    if (signal != ExecSignal.None)
                    {
                        return signal;
                    }

                    break;
                }

                case NodeKind.For:
                    ExecFor(node, scope, sb);
                    break;
                case NodeKind.Set:
                    ExecSet(node, scope);
                    break;
                case NodeKind.Macro:
                    scope.Set(node.Name!, MakeMacro(node));
                    break;
                case NodeKind.CallBlock:
                    Append(sb, ExecCallBlock(node, scope));
                    break;
                case NodeKind.FilterBlock:
                {
                    JinjaValue rendered = JinjaValue.FromString(Capture(node.Body!, scope));
                    position = node.Position;
                    Append(sb, ApplyFilter(rendered, node.Name!, node.Items, scope));
                    break;
                }

                case NodeKind.Break:
                    return ExecSignal.Break;
                case NodeKind.Continue:
                    return ExecSignal.Continue;
                default:
                    // Any other expression used as a statement: evaluate and print, like the reference.
                    Append(sb, Eval(node, scope));
                    break;
            }

            CheckLength(sb.Length);
        }

        return ExecSignal.None;
    }

    /// <summary>What <c>{{ value }}</c> prints, bounded by <see cref="ChatTemplateOptions.MaxOutputLength"/>.</summary>
    internal string Display(JinjaValue value)
    {
        string text = ValueFormatter.Display(value, limits.MaxOutputLength);
        Work(text.Length);
        return text;
    }

    /// <summary>JavaScript's <c>String(value)</c>, bounded by <see cref="ChatTemplateOptions.MaxOutputLength"/>.</summary>
    internal string Raw(JinjaValue value)
    {
        string text = ValueFormatter.Raw(value, limits.MaxOutputLength);
        Work(text.Length);
        return text;
    }

    private void Append(StringBuilder sb, JinjaValue value)
    {
        if (!value.IsNullOrUndefined)
        {
            string text = value.Kind == ValueKind.String ? value.Str! : Display(value);
            Work(text.Length);
            sb.Append(text);
        }
    }

    private string Capture(Node[] body, Scope scope)
    {
        var sb = new StringBuilder();
        Exec(body, scope, sb);
        return sb.ToString();
    }

    private void ExecFor(Node node, Scope outer, StringBuilder sb)
    {
        var scope = new Scope(outer);
        JinjaValue iterable = Eval(node.B!, scope);
        position = node.Position;
        if (!iterable.IsArray && !iterable.IsObject)
        {
            throw Fail($"Expected iterable or object type in for loop: got {iterable.TypeName}");
        }

        Work(Size(iterable));
        IReadOnlyList<JinjaValue> source = iterable.IsObject ? new KeySnapshot(iterable.Dict!) : iterable.List!;
        Node target = node.A!;
        IReadOnlyList<JinjaValue> items;
        if (node.C is null && target.Kind == NodeKind.Identifier)
        {
            items = source;
        }
        else
        {
            var filtered = new List<JinjaValue>(source.Count);
            items = filtered;
            for (int i = 0; i < source.Count; i++)
            {
                Step();
                JinjaValue current = source[i];
                CheckUnpack(target, current);
                if (node.C is not null)
                {
                    var testScope = new Scope(scope);
                    AssignLoopTarget(target, current, testScope);
                    if (!Eval(node.C, testScope).IsTruthy())
                    {
                        continue;
                    }
                }

                filtered.Add(current);
            }
        }

        int count = items.Count;
        bool noIteration = true;
        for (int i = 0; i < count; i++)
        {
            Step();
            var loop = new OrderedDictionary<string, JinjaValue>(9)
            {
                ["index"] = JinjaValue.FromInt(i + 1),
                ["index0"] = JinjaValue.FromInt(i),
                ["revindex"] = JinjaValue.FromInt(count - i),
                ["revindex0"] = JinjaValue.FromInt(count - i - 1),
                ["first"] = JinjaValue.FromBool(i == 0),
                ["last"] = JinjaValue.FromBool(i == count - 1),
                ["length"] = JinjaValue.FromInt(count),
                ["previtem"] = i > 0 ? items[i - 1] : JinjaValue.Undefined,
                ["nextitem"] = i < count - 1 ? items[i + 1] : JinjaValue.Undefined,
            };
            scope.Set("loop", JinjaValue.FromDict(loop));
            AssignLoopTarget(target, items[i], scope);

            // The reference renders each iteration into its own string and drops it on break/continue.
            int mark = sb.Length;
            ExecSignal signal = Exec(node.Body!, scope, sb);
            if (signal != ExecSignal.None)
            {
                sb.Length = mark;
                if (signal == ExecSignal.Break)
                {
                    break;
                }

                continue;
            }

            noIteration = false;
        }

        if (noIteration)
        {
            Exec(node.Else!, scope, sb);
        }
    }

    private void CheckUnpack(Node target, JinjaValue current)
    {
        if (target.Kind != NodeKind.TupleLiteral)
        {
            return;
        }

        // The reference accepts lists only, not tuples ("Cannot unpack non-iterable type: TupleValue").
        if (current.Kind != ValueKind.Array)
        {
            throw Fail($"Cannot unpack non-iterable type: {current.TypeName}");
        }

        int expected = target.Items!.Length;
        if (expected != current.List!.Count)
        {
            throw Fail($"Too {(expected > current.List.Count ? "few" : "many")} items to unpack");
        }
    }

    private void AssignLoopTarget(Node target, JinjaValue current, Scope scope)
    {
        if (target.Kind == NodeKind.Identifier)
        {
            scope.Set(target.Name!, current);
            return;
        }

        CheckUnpack(target, current);
        for (int j = 0; j < target.Items!.Length; j++)
        {
            Node element = target.Items[j];
            if (element.Kind != NodeKind.Identifier)
            {
                throw Fail("Cannot unpack to a non-identifier");
            }

            scope.Set(element.Name!, current.List![j]);
        }
    }

    private void ExecSet(Node node, Scope scope)
    {
        JinjaValue value = node.B is not null ? Eval(node.B, scope) : JinjaValue.FromString(Capture(node.Body!, scope));
        position = node.Position;
        Node target = node.A!;
        switch (target.Kind)
        {
            case NodeKind.Identifier:
                scope.Set(target.Name!, value);
                break;
            case NodeKind.TupleLiteral:
            {
                if (!value.IsArray)
                {
                    throw Fail($"Cannot unpack non-iterable type in set: {value.TypeName}");
                }

                Node[] names = target.Items!;
                if (names.Length != value.List!.Count)
                {
                    throw Fail($"Too {(names.Length > value.List.Count ? "few" : "many")} items to unpack in set");
                }

                for (int i = 0; i < names.Length; i++)
                {
                    if (names[i].Kind != NodeKind.Identifier)
                    {
                        throw Fail("Cannot unpack to non-identifier in set");
                    }

                    scope.Set(names[i].Name!, value.List[i]);
                }

                break;
            }

            case NodeKind.Member when target.Name is not null:
            {
                JinjaValue obj = Eval(target.A!, scope);
                if (!obj.IsObject)
                {
                    throw Fail("Cannot assign to member of non-object");
                }

                obj.Dict![target.Name] = value;
                break;
            }

            default:
                throw Fail("Invalid target of assignment");
        }
    }
}
