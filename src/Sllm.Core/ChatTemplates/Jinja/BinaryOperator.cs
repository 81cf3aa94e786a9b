namespace Sllm.ChatTemplates.Jinja;

/// <summary>The binary operators of the expression language.</summary>
internal enum BinaryOperator
{
    And,
    Or,
    Equal,
    NotEqual,
    Less,
    Greater,
    LessOrEqual,
    GreaterOrEqual,
    Add,
    Subtract,
    Concat,
    Multiply,
    Divide,
    FloorDivide,
    Modulo,
    Power,
    In,
    NotIn,
}
