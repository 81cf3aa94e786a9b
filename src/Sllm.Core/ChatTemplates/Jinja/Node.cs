namespace Sllm.ChatTemplates.Jinja;

/// <summary>One node of the parsed template. A single shape keeps the tree compact; the fields each kind uses:</summary>
/// <remarks>
/// <list type="bullet">
/// <item>Text: <see cref="Name"/> = text. Output: <see cref="A"/> = expression.</item>
/// <item>If: A = test, <see cref="Body"/>, <see cref="Else"/>. For: A = target (Identifier/TupleLiteral), B = iterable, C = inline filter or null, Body, Else.</item>
/// <item>Set: A = target, B = value or null (block set uses Body). Macro: Name, <see cref="Items"/> = parameters, Body.</item>
/// <item>CallBlock: A = Call node, Items = caller parameters or null, Body. FilterBlock: Name, Items = args or null, Body.</item>
/// <item>Literal: <see cref="Value"/>. Identifier: Name. Array/Tuple literal: Items. DictLiteral: Items = keys, <see cref="Items2"/> = values.</item>
/// <item>Member: A = object, B = computed key or null with Name (dot access). Slice: A = object, B/C/D = start/stop/step or null.</item>
/// <item>Call: A = callee, Items = args. KeywordArgument: Name, A. Spread: A. Binary: <see cref="Operator"/>, A, B. Negate/UnaryMinus/UnaryPlus: A.</item>
/// <item>Filter: A = operand, Name, Items = args or null (no parentheses). Test: A, Name, <see cref="Flag"/> = negated, Items = args or null.</item>
/// <item>Ternary: A = condition, B = if true, C = if false. Select (<c>x if c</c> without else): A = value, B = condition.</item>
/// </list>
/// </remarks>
internal sealed class Node
{
    public Node(NodeKind kind, int position)
    {
        Kind = kind;
        Position = position;
    }

    public NodeKind Kind { get; }

    /// <summary>Gets the offset in the original source, for error locations.</summary>
    public int Position { get; }

    public string? Name { get; init; }

    public JinjaValue? Value { get; init; }

    public Node? A { get; init; }

    public Node? B { get; init; }

    public Node? C { get; init; }

    public Node? D { get; init; }

    public Node[]? Items { get; init; }

    public Node[]? Items2 { get; init; }

    public Node[]? Body { get; set; }

    public Node[]? Else { get; set; }

    public bool Flag { get; init; }

    public BinaryOperator Operator { get; init; }

    /// <summary>Gets how many binary or postfix operators (member, subscript, slice, call, filter, test) nest down the
    /// left side of this node, which is how deeply the evaluator recurses through <see cref="A"/>.</summary>
    public int Chain { get; init; }
}
