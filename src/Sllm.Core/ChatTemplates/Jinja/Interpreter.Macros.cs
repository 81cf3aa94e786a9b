using System.Runtime.CompilerServices;

namespace Sllm.ChatTemplates.Jinja;

/// <summary>Macros, <c>{% call %}</c> blocks and <c>caller()</c>: dynamic scoping as in the reference, bounded recursion.</summary>
internal sealed partial class Interpreter
{
    private static JinjaValue MakeMacro(Node node) => JinjaValue.FromFunction((interpreter, args, callScope) =>
    {
        var macroScope = new Scope(callScope);
        JinjaValue? kwargs = args.Count > 0 && args[^1].Kind == ValueKind.KeywordArguments ? args[^1] : null;
        int positional = kwargs is null ? args.Count : args.Count - 1;
        Node[] parameters = node.Items!;
        for (int i = 0; i < parameters.Length; i++)
        {
            Node parameter = parameters[i];
            JinjaValue? passed = i < positional ? args[i] : null;
            if (parameter.Kind == NodeKind.Identifier)
            {
                if (passed is null && kwargs is not null && kwargs.Dict!.TryGetValue(parameter.Name!, out JinjaValue? named))
                {
                    passed = named;
                }

                macroScope.Set(parameter.Name!, passed ?? throw interpreter.Fail($"Missing positional argument: {parameter.Name}"));
            }
            else if (parameter.Kind == NodeKind.KeywordArgument)
            {
                if (passed is null && kwargs is not null && kwargs.Dict!.TryGetValue(parameter.Name!, out JinjaValue? named))
                {
                    passed = named;
                }

                macroScope.Set(parameter.Name!, passed ?? interpreter.Eval(parameter.A!, macroScope));
            }
            else
            {
                throw interpreter.Fail("Unknown macro parameter type");
            }
        }

        return JinjaValue.FromString(interpreter.Invoke(node.Body!, macroScope));
    });

    /// <summary>Runs a macro or caller body, bounding recursion and counting the call against the step budget.</summary>
    internal string Invoke(Node[] body, Scope scope)
    {
        Step();
        if (++callDepth > limits.MaxRecursionDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Fail($"Macro calls nest deeper than the limit of {limits.MaxRecursionDepth}");
        }

        try
        {
            return Capture(body, scope);
        }
        finally
        {
            callDepth--;
        }
    }

    private JinjaValue ExecCallBlock(Node node, Scope scope)
    {
        Node[]? callerParams = node.Items;
        Node[] body = node.Body!;
        JinjaValue caller = JinjaValue.FromFunction((interpreter, callerArgs, callerScope) =>
        {
            var blockScope = new Scope(callerScope);
            if (callerParams is not null)
            {
                for (int i = 0; i < callerParams.Length; i++)
                {
                    if (callerParams[i].Kind != NodeKind.Identifier)
                    {
                        throw interpreter.Fail("Caller parameter must be an identifier");
                    }

                    blockScope.Set(callerParams[i].Name!, i < callerArgs.Count ? callerArgs[i] : JinjaValue.Undefined);
                }
            }

            return JinjaValue.FromString(interpreter.Invoke(body, blockScope));
        });

        Node call = node.A!;
        List<JinjaValue> args = EvalArguments(call.Items!, scope, out OrderedDictionary<string, JinjaValue>? kwargs);
        args.Add(JinjaValue.FromKeywordArguments(kwargs ?? []));
        JinjaValue fn = Eval(call.A!, scope);
        position = node.Position;
        if (fn.Kind != ValueKind.Function)
        {
            throw Fail($"Cannot call something that is not a function: got {fn.TypeName}");
        }

        var callScope = new Scope(scope);
        callScope.Set("caller", caller);
        return fn.Function!(this, args, callScope);
    }
}
