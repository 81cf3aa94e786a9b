namespace Sllm.ChatTemplates.Jinja;

/// <summary>The kinds of syntax-tree nodes; see <see cref="Node"/> for which fields each kind uses.</summary>
internal enum NodeKind
{
    // Statements
    Text,
    Output,
    If,
    For,
    Set,
    Macro,
    CallBlock,
    FilterBlock,
    Break,
    Continue,

    // Expressions
    Literal,
    Identifier,
    ArrayLiteral,
    TupleLiteral,
    DictLiteral,
    Member,
    Slice,
    Call,
    KeywordArgument,
    Spread,
    Binary,
    Negate,
    UnaryMinus,
    UnaryPlus,
    Filter,
    Test,
    Ternary,
    Select,
}
