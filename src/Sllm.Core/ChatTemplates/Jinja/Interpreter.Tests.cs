namespace Sllm.ChatTemplates.Jinja;

/// <summary><c>is</c> tests: the reference's set, plus tests with arguments (<c>divisibleby</c>, comparisons, <c>in</c>, <c>sameas</c>).</summary>
internal sealed partial class Interpreter
{
    private JinjaValue EvalTest(Node node, Scope scope)
    {
        JinjaValue operand = Eval(node.A!, scope);
        List<JinjaValue> args = node.Items is null ? [] : EvalArguments(node.Items, scope, out _);
        position = node.Position;
        bool result = RunTest(node.Name!, operand, args, scope);
        return JinjaValue.FromBool(node.Flag ? !result : result);
    }

    internal bool RunTest(string name, JinjaValue operand, List<JinjaValue> args, Scope? scope)
    {
        JinjaValue arg = args.Count > 0 ? args[0] : JinjaValue.Undefined;
        // Every test is constant-time except membership, which scans its argument.
        Work(name == "in" ? Size(arg) : 1);
        switch (name)
        {
            case "boolean":
                return operand.Kind == ValueKind.Boolean;
            case "callable":
                return operand.Kind == ValueKind.Function;
            case "odd":
            case "even":
                if (operand.Kind != ValueKind.Integer)
                {
                    throw Fail($"cannot {name} on {operand.TypeName}");
                }

                return (operand.Int % 2 != 0) == (name == "odd");
            case "false":
                return operand.Kind == ValueKind.Boolean && !operand.Bool;
            case "true":
                return operand.Kind == ValueKind.Boolean && operand.Bool;
            case "none":
                return operand.Kind == ValueKind.Null;
            case "string":
                return operand.Kind == ValueKind.String;
            case "number":
                return operand.IsNumber;
            case "integer":
                return operand.Kind == ValueKind.Integer;
            case "float":
                return operand.Kind == ValueKind.Float;
            case "iterable":
                return operand.Kind is ValueKind.Array or ValueKind.String;
            case "mapping":
                return operand.IsObject;
            case "sequence":
                return operand.IsArray || operand.IsObject || operand.Kind == ValueKind.String;
            case "lower":
                return operand.Kind == ValueKind.String && string.Equals(operand.Str, operand.Str!.ToLowerInvariant(), StringComparison.Ordinal);
            case "upper":
                return operand.Kind == ValueKind.String && string.Equals(operand.Str, operand.Str!.ToUpperInvariant(), StringComparison.Ordinal);
            case "defined":
                return operand.Kind != ValueKind.Undefined;
            case "undefined":
                return operand.Kind == ValueKind.Undefined;
            case "equalto" or "eq" or "sameas":
                return StrictEquals(operand, arg);
            case "ne":
                return !StrictEquals(operand, arg);
            case "lt" or "lessthan":
                return Binary(BinaryOperator.Less, operand, arg).Bool;
            case "gt" or "greaterthan":
                return Binary(BinaryOperator.Greater, operand, arg).Bool;
            case "le":
                return Binary(BinaryOperator.LessOrEqual, operand, arg).Bool;
            case "ge":
                return Binary(BinaryOperator.GreaterOrEqual, operand, arg).Bool;
            case "in":
                return Binary(BinaryOperator.In, operand, arg).Bool;
            case "divisibleby":
                if (!operand.IsNumber || !arg.IsNumber || arg.Number == 0)
                {
                    throw Fail("divisibleby needs a number and a non-zero divisor");
                }

                return operand.Number % arg.Number == 0;
            case "escaped":
                return false;
            case "filter":
            case "test":
                return arg.Kind == ValueKind.String;
            default:
                _ = scope;
                throw Fail($"Unknown test: {name}");
        }
    }
}
