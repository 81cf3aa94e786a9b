using System.Globalization;
using System.Runtime.CompilerServices;

namespace Sllm.ChatTemplates.Jinja;

/// <summary>Binary operators with the reference's rules: JavaScript loose <c>==</c>, errors on null/undefined operands,
/// <c>~</c> and string <c>+</c> through the raw JavaScript string conversion, numeric ops keeping integer-ness.</summary>
internal sealed partial class Interpreter
{
    private static readonly string[] OperatorText =
        ["and", "or", "==", "!=", "<", ">", "<=", ">=", "+", "-", "~", "*", "/", "//", "%", "**", "in", "not in"];

    private JinjaValue EvalBinary(Node node, Scope scope)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Fail("The expression nests too deeply for the stack");
        }

        BinaryOperator op = node.Operator;
        JinjaValue left = Eval(node.A!, scope);
        switch (op)
        {
            case BinaryOperator.And:
                return left.IsTruthy() ? Eval(node.B!, scope) : left;
            case BinaryOperator.Or:
                return left.IsTruthy() ? left : Eval(node.B!, scope);
        }

        JinjaValue right = Eval(node.B!, scope);
        position = node.Position;
        return Binary(op, left, right);
    }

    internal JinjaValue Binary(BinaryOperator op, JinjaValue left, JinjaValue right)
    {
        // == and != compare lists and dicts by reference (their text, when compared with a string, is charged by Raw).
        Work(op is BinaryOperator.Equal or BinaryOperator.NotEqual ? TextSize(left) + TextSize(right) : Size(left) + Size(right));
        switch (op)
        {
            case BinaryOperator.Equal:
                return JinjaValue.FromBool(LooseEquals(left, right));
            case BinaryOperator.NotEqual:
                return JinjaValue.FromBool(!LooseEquals(left, right));
        }

        string opText = OperatorText[(int)op];
        if (left.Kind == ValueKind.Undefined || right.Kind == ValueKind.Undefined)
        {
            if (right.Kind == ValueKind.Undefined && op is BinaryOperator.In or BinaryOperator.NotIn)
            {
                return JinjaValue.FromBool(op == BinaryOperator.NotIn);
            }

            throw Fail($"Cannot perform operation {opText} on undefined values");
        }

        if (left.Kind == ValueKind.Null || right.Kind == ValueKind.Null)
        {
            throw Fail("Cannot perform operation on null values");
        }

        if (op == BinaryOperator.Concat)
        {
            return Concat(Raw(left), Raw(right));
        }

        if (left.IsNumber && right.IsNumber)
        {
            JinjaValue? result = Arithmetic(op, left, right);
            if (result is not null)
            {
                return result;
            }
        }
        else if (left.IsArray && right.IsArray)
        {
            if (op == BinaryOperator.Add)
            {
                CheckCollection((long)left.List!.Count + right.List!.Count);
                var list = new List<JinjaValue>(left.List.Count + right.List.Count);
                list.AddRange(left.List);
                list.AddRange(right.List);
                return JinjaValue.FromList(list);
            }
        }
        else if (right.IsArray && op is BinaryOperator.In or BinaryOperator.NotIn)
        {
            bool member = false;
            foreach (JinjaValue item in right.List!)
            {
                if (StrictEquals(item, left))
                {
                    member = true;
                    break;
                }
            }

            return JinjaValue.FromBool(member == (op == BinaryOperator.In));
        }

        if (op == BinaryOperator.Add && (left.Kind == ValueKind.String || right.Kind == ValueKind.String))
        {
            return Concat(Raw(left), Raw(right));
        }

        if (op is BinaryOperator.In or BinaryOperator.NotIn)
        {
            if (left.Kind == ValueKind.String && right.Kind == ValueKind.String)
            {
                return JinjaValue.FromBool(right.Str!.Contains(left.Str!, StringComparison.Ordinal) == (op == BinaryOperator.In));
            }

            if (left.Kind == ValueKind.String && right.IsObject)
            {
                return JinjaValue.FromBool(right.Dict!.ContainsKey(left.Str!) == (op == BinaryOperator.In));
            }
        }

        throw Fail($"Unknown operator \"{opText}\" between {left.TypeName} and {right.TypeName}");
    }

    private JinjaValue Concat(string a, string b)
    {
        CheckLength((long)a.Length + b.Length);
        Work((long)a.Length + b.Length);
        return JinjaValue.FromString(string.Concat(a, b));
    }

    private static JinjaValue? Arithmetic(BinaryOperator op, JinjaValue left, JinjaValue right)
    {
        bool isFloat = left.Kind == ValueKind.Float || right.Kind == ValueKind.Float;
        double a = left.Number;
        double b = right.Number;
        switch (op)
        {
            case BinaryOperator.Add:
            case BinaryOperator.Subtract:
            case BinaryOperator.Multiply:
            {
                if (!isFloat)
                {
                    long x = left.Int;
                    long y = right.Int;
                    double approx = op == BinaryOperator.Add ? a + b : op == BinaryOperator.Subtract ? a - b : a * b;
                    if (Math.Abs(approx) < 9e15)
                    {
                        return JinjaValue.FromInt(op == BinaryOperator.Add ? x + y : op == BinaryOperator.Subtract ? x - y : x * y);
                    }

                    return JinjaValue.FromNumber(approx);
                }

                double r = op == BinaryOperator.Add ? a + b : op == BinaryOperator.Subtract ? a - b : a * b;
                return JinjaValue.FromFloat(r);
            }

            case BinaryOperator.Divide:
                return JinjaValue.FromFloat(a / b);
            case BinaryOperator.FloorDivide:
            {
                double r = Math.Floor(a / b);
                return isFloat || !double.IsFinite(r) ? JinjaValue.FromFloat(r) : JinjaValue.FromNumber(r);
            }

            case BinaryOperator.Modulo:
            {
                if (!isFloat && right.Int != 0)
                {
                    return JinjaValue.FromInt(left.Int % right.Int);
                }

                return JinjaValue.FromFloat(a % b);
            }

            case BinaryOperator.Power:
            {
                double r = Math.Pow(a, b);
                return !isFloat && b >= 0 && Math.Abs(r) < 9e15 ? JinjaValue.FromInt((long)r) : JinjaValue.FromFloat(r);
            }

            case BinaryOperator.Less:
                return JinjaValue.FromBool(a < b);
            case BinaryOperator.Greater:
                return JinjaValue.FromBool(a > b);
            case BinaryOperator.LessOrEqual:
                return JinjaValue.FromBool(a <= b);
            case BinaryOperator.GreaterOrEqual:
                return JinjaValue.FromBool(a >= b);
            default:
                return null;
        }
    }

    /// <summary>JavaScript <c>===</c> on the raw values (lists and dicts by reference).</summary>
    internal static bool StrictEquals(JinjaValue a, JinjaValue b)
    {
        if (a.IsNumber && b.IsNumber)
        {
            return a.Number == b.Number;
        }

        if (a.Kind != b.Kind && !(a.IsArray && b.IsArray) && !(a.IsObject && b.IsObject))
        {
            return false;
        }

        return a.Kind switch
        {
            ValueKind.Undefined or ValueKind.Null => true,
            ValueKind.Boolean => a.Int == b.Int,
            ValueKind.String => string.Equals(a.Str, b.Str, StringComparison.Ordinal),
            ValueKind.Array or ValueKind.Tuple => ReferenceEquals(a.List, b.List),
            ValueKind.Object or ValueKind.KeywordArguments => ReferenceEquals(a.Dict, b.Dict),
            _ => ReferenceEquals(a.Function, b.Function),
        };
    }

    /// <summary>JavaScript <c>==</c> on the raw values, which the reference's <c>==</c> and <c>!=</c> use.</summary>
    internal bool LooseEquals(JinjaValue a, JinjaValue b)
    {
        if (a.IsNullOrUndefined || b.IsNullOrUndefined)
        {
            return a.IsNullOrUndefined && b.IsNullOrUndefined;
        }

        bool aObject = a.IsArray || a.IsObject || a.Kind == ValueKind.Function;
        bool bObject = b.IsArray || b.IsObject || b.Kind == ValueKind.Function;
        if (aObject && bObject)
        {
            return StrictEquals(a, b);
        }

        if (aObject)
        {
            a = JinjaValue.FromString(Raw(a));
        }

        if (bObject)
        {
            b = JinjaValue.FromString(Raw(b));
        }

        if (a.Kind == ValueKind.String && b.Kind == ValueKind.String)
        {
            return string.Equals(a.Str, b.Str, StringComparison.Ordinal);
        }

        double x = a.Kind == ValueKind.String ? ToNumber(a.Str!) : a.Number;
        double y = b.Kind == ValueKind.String ? ToNumber(b.Str!) : b.Number;
        return x == y;
    }

    /// <summary>JavaScript's ToNumber for strings (decimal, hex/octal/binary prefixes, Infinity; otherwise NaN).</summary>
    internal static double ToNumber(string s)
    {
        string t = CharClass.Trim(s);
        if (t.Length == 0)
        {
            return 0;
        }

        if (t.Length > 2 && t[0] == '0' && t[1] is 'x' or 'X' or 'o' or 'O' or 'b' or 'B')
        {
            int radix = t[1] is 'x' or 'X' ? 16 : t[1] is 'o' or 'O' ? 8 : 2;
            double result = 0;
            foreach (char c in t.AsSpan(2))
            {
                int digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetter(c) ? (char.ToLowerInvariant(c) - 'a' + 10) : 99;
                if (digit >= radix)
                {
                    return double.NaN;
                }

                result = (result * radix) + digit;
            }

            return result;
        }

        switch (t)
        {
            case "Infinity" or "+Infinity":
                return double.PositiveInfinity;
            case "-Infinity":
                return double.NegativeInfinity;
        }

        foreach (char c in t)
        {
            if (!(char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-'))
            {
                return double.NaN;
            }
        }

        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : double.NaN;
    }
}
