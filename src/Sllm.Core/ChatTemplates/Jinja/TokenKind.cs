namespace Sllm.ChatTemplates.Jinja;

/// <summary>Token types, as in @huggingface/jinja's lexer (plus <see cref="Power"/>).</summary>
internal enum TokenKind
{
    Text,
    NumericLiteral,
    StringLiteral,
    Identifier,
    Equals,
    OpenParen,
    CloseParen,
    OpenStatement,
    CloseStatement,
    OpenExpression,
    CloseExpression,
    OpenSquareBracket,
    CloseSquareBracket,
    OpenCurlyBracket,
    CloseCurlyBracket,
    Comma,
    Dot,
    Colon,
    Pipe,
    AdditiveBinaryOperator,
    MultiplicativeBinaryOperator,
    Power,
    ComparisonBinaryOperator,
    UnaryOperator,
    Comment,
}
