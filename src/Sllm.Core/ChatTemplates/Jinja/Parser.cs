using System.Globalization;
using System.Runtime.CompilerServices;

namespace Sllm.ChatTemplates.Jinja;

/// <summary>Builds the syntax tree with @huggingface/jinja's grammar and precedence (statements in this file,
/// expressions in Parser.Expressions.cs), bounding nesting so hostile input cannot exhaust the stack.</summary>
internal sealed partial class Parser
{
    private readonly List<Token> tokens;
    private readonly SourceText source;
    private readonly int maxDepth;
    private int current;
    private int depth;

    private Parser(List<Token> tokens, SourceText source, int maxDepth)
    {
        this.tokens = tokens;
        this.source = source;
        this.maxDepth = maxDepth;
    }

    public static Node[] Parse(SourceText source, int maxDepth)
    {
        List<Token> tokens = Lexer.Tokenize(source.Text, (message, offset) => source.Error(SllmErrorKind.InvalidTemplate, message, offset));
        var parser = new Parser(tokens, source, maxDepth);
        var body = new List<Node>();
        while (parser.current < tokens.Count)
        {
            Node? node = parser.ParseAny();
            if (node is not null)
            {
                body.Add(node);
            }
        }

        return [.. body];
    }

    private Token? Peek(int offset = 0) => current + offset < tokens.Count ? tokens[current + offset] : null;

    private int Position => Peek()?.Position ?? (tokens.Count > 0 ? tokens[^1].Position : 0);

    private ChatTemplateException Error(string message, int? position = null) =>
        source.Error(SllmErrorKind.InvalidTemplate, message, position ?? Position);

    private Token Expect(TokenKind kind, string message)
    {
        Token? token = Peek();
        if (token is null)
        {
            throw Error($"{message}: unexpected end of template");
        }

        if (token.Kind != kind)
        {
            throw Error($"{message}, got {Describe(token)}");
        }

        current++;
        return token;
    }

    private static string Describe(Token token) => token.Kind switch
    {
        TokenKind.Text => "text",
        TokenKind.Identifier or TokenKind.NumericLiteral => $"'{token.Value}'",
        TokenKind.StringLiteral => "a string",
        _ => $"'{token.Value}'",
    };

    private void ExpectIdentifier(string name)
    {
        if (!IsIdentifier(name))
        {
            throw Error($"Expected '{name}'");
        }

        current++;
    }

    private bool Is(TokenKind kind) => Peek()?.Kind == kind;

    private bool IsIdentifier(string name) => Peek() is { Kind: TokenKind.Identifier } t && t.Value == name;

    private bool IsIdentifier(string first, string second) =>
        IsIdentifier(first) && Peek(1) is { Kind: TokenKind.Identifier } t && t.Value == second;

    private bool IsStatement(params string[] names) =>
        Peek() is { Kind: TokenKind.OpenStatement } && Peek(1) is { Kind: TokenKind.Identifier } t && names.Contains(t.Value);

    private void Enter()
    {
        if (++depth > maxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Error($"Template nesting is deeper than the limit of {maxDepth}");
        }
    }

    private void Leave() => depth--;

    private Node? ParseAny()
    {
        Token token = tokens[current];
        switch (token.Kind)
        {
            case TokenKind.Comment:
                current++;
                return null;
            case TokenKind.Text:
                current++;
                return new Node(NodeKind.Text, token.Position) { Name = token.Value };
            case TokenKind.OpenStatement:
                return ParseStatement();
            case TokenKind.OpenExpression:
            {
                current++;
                Node expression = ParseExpression();
                Expect(TokenKind.CloseExpression, "Expected '}}' to close the expression");
                return new Node(NodeKind.Output, token.Position) { A = expression };
            }

            default:
                throw Error($"Unexpected {Describe(token)}");
        }
    }

    /// <summary>Parses statements until one of <paramref name="terminators"/> opens, failing clearly at the end of the template.</summary>
    private Node[] ParseBlockUntil(string opener, int openedAt, params string[] terminators)
    {
        Enter();
        var body = new List<Node>();
        while (!IsStatement(terminators))
        {
            if (current >= tokens.Count)
            {
                (int line, _) = source.Locate(openedAt);
                throw Error($"Unclosed '{opener}' block opened at line {line}: expected {{% {terminators[^1]} %}}", openedAt);
            }

            Node? node = ParseAny();
            if (node is not null)
            {
                body.Add(node);
            }
        }

        Leave();
        return [.. body];
    }

    private Node ParseStatement()
    {
        int start = Expect(TokenKind.OpenStatement, "Expected '{%'").Position;
        Token? nameToken = Peek();
        if (nameToken is null || nameToken.Kind != TokenKind.Identifier)
        {
            throw Error(nameToken is null ? "Unexpected end of template after '{%'" : $"Unknown statement, got {Describe(nameToken)}");
        }

        current++;
        switch (nameToken.Value)
        {
            case "set":
                return ParseSet(start);
            case "if":
            {
                Node result = ParseIf(start);
                CloseBlock("endif");
                return result;
            }

            case "for":
            {
                Node result = ParseFor(start);
                CloseBlock("endfor");
                return result;
            }

            case "macro":
            {
                Node name = ParsePrimary();
                if (name.Kind != NodeKind.Identifier)
                {
                    throw Error("Expected identifier following macro statement", name.Position);
                }

                Node[] args = ParseArgs();
                Expect(TokenKind.CloseStatement, "Expected '%}'");
                Node[] body = ParseBlockUntil("macro", start, "endmacro");
                CloseBlock("endmacro");
                return new Node(NodeKind.Macro, start) { Name = name.Name, Items = args, Body = body };
            }

            case "call":
            {
                Node[]? callerArgs = Is(TokenKind.OpenParen) ? ParseArgs() : null;
                Node callee = ParsePrimary();
                if (callee.Kind != NodeKind.Identifier)
                {
                    throw Error("Expected identifier following call statement", callee.Position);
                }

                Node call = new(NodeKind.Call, callee.Position) { A = callee, Items = ParseArgs() };
                Expect(TokenKind.CloseStatement, "Expected '%}'");
                Node[] body = ParseBlockUntil("call", start, "endcall");
                CloseBlock("endcall");
                return new Node(NodeKind.CallBlock, start) { A = call, Items = callerArgs, Body = body };
            }

            case "filter":
            {
                Node filter = ParsePrimary();
                if (filter.Kind != NodeKind.Identifier)
                {
                    throw Error("Expected filter name following filter statement", filter.Position);
                }

                Node[]? args = Is(TokenKind.OpenParen) ? ParseArgs() : null;
                Expect(TokenKind.CloseStatement, "Expected '%}'");
                Node[] body = ParseBlockUntil("filter", start, "endfilter");
                CloseBlock("endfilter");
                return new Node(NodeKind.FilterBlock, start) { Name = filter.Name, Items = args, Body = body };
            }

            case "break":
                Expect(TokenKind.CloseStatement, "Expected '%}'");
                return new Node(NodeKind.Break, start);
            case "continue":
                Expect(TokenKind.CloseStatement, "Expected '%}'");
                return new Node(NodeKind.Continue, start);
            default:
                throw Error($"Unknown statement type: {nameToken.Value}", nameToken.Position);
        }
    }

    private void CloseBlock(string name)
    {
        Expect(TokenKind.OpenStatement, $"Expected '{{% {name} %}}'");
        ExpectIdentifier(name);
        Expect(TokenKind.CloseStatement, "Expected '%}'");
    }

    private Node ParseSet(int start)
    {
        Node target = ParseExpressionSequence(primary: false);
        if (Is(TokenKind.Equals))
        {
            current++;
            Node value = ParseExpressionSequence(primary: false);
            Expect(TokenKind.CloseStatement, "Expected '%}'");
            return new Node(NodeKind.Set, start) { A = target, B = value };
        }

        Expect(TokenKind.CloseStatement, "Expected '=' or '%}' in set statement");
        Node[] body = ParseBlockUntil("set", start, "endset");
        CloseBlock("endset");
        return new Node(NodeKind.Set, start) { A = target, Body = body };
    }

    private Node ParseIf(int start)
    {
        Node test = ParseExpression();
        Expect(TokenKind.CloseStatement, "Expected '%}'");
        Node[] body = ParseBlockUntil("if", start, "elif", "else", "endif");
        Node[] alternate = [];
        if (IsStatement("elif"))
        {
            int elifStart = Position;
            current += 2;
            alternate = [ParseIf(elifStart)];
        }
        else if (IsStatement("else"))
        {
            current += 2;
            Expect(TokenKind.CloseStatement, "Expected '%}'");
            alternate = ParseBlockUntil("if", start, "endif");
        }

        return new Node(NodeKind.If, start) { A = test, Body = body, Else = alternate };
    }

    private Node ParseFor(int start)
    {
        Node target = ParseExpressionSequence(primary: true);
        if (target.Kind is not (NodeKind.Identifier or NodeKind.TupleLiteral))
        {
            throw Error("Expected identifier/tuple for the loop variable", target.Position);
        }

        if (!IsIdentifier("in"))
        {
            throw Error("Expected 'in' keyword following loop variable");
        }

        current++;
        Node iterable = ParseExpression();
        Node? filter = null;
        if (iterable.Kind == NodeKind.Select)
        {
            filter = iterable.B;
            iterable = iterable.A!;
        }

        Expect(TokenKind.CloseStatement, "Expected '%}'");
        Node[] body = ParseBlockUntil("for", start, "endfor", "else");
        Node[] alternate = [];
        if (IsStatement("else"))
        {
            current += 2;
            Expect(TokenKind.CloseStatement, "Expected '%}'");
            alternate = ParseBlockUntil("for", start, "endfor");
        }

        return new Node(NodeKind.For, start) { A = target, B = iterable, C = filter, Body = body, Else = alternate };
    }

    private static JinjaValue ParseNumber(string text) =>
        text.Contains('.', StringComparison.Ordinal)
            ? JinjaValue.FromFloat(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture))
            : JinjaValue.FromNumber(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
}
