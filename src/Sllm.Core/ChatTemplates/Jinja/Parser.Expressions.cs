namespace Sllm.ChatTemplates.Jinja;

/// <summary>Expression grammar, lowest precedence first, as in the reference: ternary, or, and, not, comparison/in,
/// additive, multiplicative, is-tests, filters, unary sign, ** (extension), call/member, primary.</summary>
internal sealed partial class Parser
{
    private Node ParseExpressionSequence(bool primary)
    {
        int start = Position;
        Node first = primary ? ParsePrimary() : ParseExpression();
        if (!Is(TokenKind.Comma))
        {
            return first;
        }

        var items = new List<Node> { first };
        while (Is(TokenKind.Comma))
        {
            current++;
            items.Add(primary ? ParsePrimary() : ParseExpression());
        }

        return new Node(NodeKind.TupleLiteral, start) { Items = [.. items] };
    }

    private Node ParseExpression()
    {
        Enter();
        Node result = ParseIfExpression();
        Leave();
        return result;
    }

    private Node ParseIfExpression()
    {
        Node a = ParseBinary(Precedence.Or);
        if (!IsIdentifier("if"))
        {
            return a;
        }

        int start = Position;
        current++;
        Node test = ParseBinary(Precedence.Or);
        if (IsIdentifier("else"))
        {
            current++;
            Enter();
            Node falseExpr = ParseIfExpression();
            Leave();
            return new Node(NodeKind.Ternary, start) { A = test, B = a, C = falseExpr };
        }

        return new Node(NodeKind.Select, start) { A = a, B = test };
    }

    private Node ParseNot()
    {
        if (IsIdentifier("not"))
        {
            int start = Position;
            current++;
            Enter();
            Node argument = ParseNot();
            Leave();
            return new Node(NodeKind.Negate, start) { A = argument };
        }

        return ParseBinary(Precedence.Comparison);
    }

    /// <summary>One left-associative level of binary operators (<c>or</c>, <c>and</c>, comparisons and <c>in</c>,
    /// <c>+ - ~</c>, <c>* / // %</c>), its operands parsed at the next level.</summary>
    private Node ParseBinary(Precedence level)
    {
        Node left = ParseOperand(level);
        while (true)
        {
            int start = Position;
            if (MatchOperator(level) is not { } match)
            {
                return left;
            }

            current += match.Tokens;
            left = Binary(match.Operator, left, ParseOperand(level), start);
        }
    }

    private Node ParseOperand(Precedence level) => level switch
    {
        Precedence.Or => ParseBinary(Precedence.And),
        Precedence.And => ParseNot(),
        Precedence.Comparison => ParseBinary(Precedence.Additive),
        Precedence.Additive => ParseBinary(Precedence.Multiplicative),
        _ => ParseTest(),
    };

    /// <summary>The operator of <paramref name="level"/> at the current token, and how many tokens spell it.</summary>
    private (BinaryOperator Operator, int Tokens)? MatchOperator(Precedence level)
    {
        switch (level)
        {
            case Precedence.Or:
                return IsIdentifier("or") ? (BinaryOperator.Or, 1) : null;
            case Precedence.And:
                return IsIdentifier("and") ? (BinaryOperator.And, 1) : null;
            case Precedence.Comparison:
                if (IsIdentifier("not", "in"))
                {
                    return (BinaryOperator.NotIn, 2);
                }

                if (IsIdentifier("in"))
                {
                    return (BinaryOperator.In, 1);
                }

                return Is(TokenKind.ComparisonBinaryOperator)
                    ? (tokens[current].Value switch
                    {
                        "==" => BinaryOperator.Equal,
                        "!=" => BinaryOperator.NotEqual,
                        "<" => BinaryOperator.Less,
                        ">" => BinaryOperator.Greater,
                        "<=" => BinaryOperator.LessOrEqual,
                        _ => BinaryOperator.GreaterOrEqual,
                    }, 1)
                    : null;
            case Precedence.Additive:
                return Is(TokenKind.AdditiveBinaryOperator)
                    ? (tokens[current].Value switch
                    {
                        "+" => BinaryOperator.Add,
                        "-" => BinaryOperator.Subtract,
                        _ => BinaryOperator.Concat,
                    }, 1)
                    : null;
            default:
                return Is(TokenKind.MultiplicativeBinaryOperator)
                    ? (tokens[current].Value switch
                    {
                        "*" => BinaryOperator.Multiply,
                        "/" => BinaryOperator.Divide,
                        "//" => BinaryOperator.FloorDivide,
                        _ => BinaryOperator.Modulo,
                    }, 1)
                    : null;
        }
    }

    private Node ParseTest()
    {
        Node operand = ParseFilter();
        while (IsIdentifier("is"))
        {
            int start = Position;
            current++;
            bool negate = IsIdentifier("not");
            if (negate)
            {
                current++;
            }

            Node test = ParsePrimary();
            if (test.Kind != NodeKind.Identifier)
            {
                throw Error("Expected identifier for the test", test.Position);
            }

            // Extension: arguments in parentheses, or one literal (`is divisibleby 3`), as Jinja allows.
            Node[]? args = null;
            if (Is(TokenKind.OpenParen))
            {
                args = ParseArgs();
            }
            else if (Is(TokenKind.NumericLiteral) || Is(TokenKind.StringLiteral))
            {
                args = [ParsePrimary()];
            }

            operand = new Node(NodeKind.Test, start) { A = operand, Name = test.Name, Flag = negate, Items = args, Chain = Link(operand, start) };
        }

        return operand;
    }

    private Node ParseFilter()
    {
        Node operand = ParseUnarySign();
        while (Is(TokenKind.Pipe))
        {
            int start = Position;
            current++;
            Node filter = ParsePrimary();
            if (filter.Kind != NodeKind.Identifier)
            {
                throw Error("Expected identifier for the filter", filter.Position);
            }

            Node[]? args = Is(TokenKind.OpenParen) ? ParseArgs() : null;
            operand = new Node(NodeKind.Filter, start) { A = operand, Name = filter.Name, Items = args, Chain = Link(operand, start) };
        }

        return operand;
    }

    private Node ParseUnarySign()
    {
        Token? token = Peek();
        if (token is { Kind: TokenKind.UnaryOperator or TokenKind.AdditiveBinaryOperator } && token.Value is "-" or "+")
        {
            current++;
            Enter();
            Node argument = ParseUnarySign();
            Leave();
            return new Node(token.Value == "-" ? NodeKind.UnaryMinus : NodeKind.UnaryPlus, token.Position) { A = argument };
        }

        Node left = ParseCallMember();
        if (Is(TokenKind.Power))
        {
            int start = Position;
            current++;
            Enter();
            Node right = ParseUnarySign();
            Leave();
            return Binary(BinaryOperator.Power, left, right, start);
        }

        return left;
    }

    private Node ParseCallMember()
    {
        Node expression = ParseMember(ParsePrimary());
        while (Is(TokenKind.OpenParen))
        {
            int start = Position;
            Node[] args = ParseArgs();
            expression = ParseMember(new Node(NodeKind.Call, start) { A = expression, Items = args, Chain = Link(expression, start) });
        }

        return expression;
    }

    private Node Binary(BinaryOperator op, Node left, Node right, int position) =>
        new(NodeKind.Binary, position) { Operator = op, A = left, B = right, Chain = Link(left, position) };

    /// <summary>The <see cref="Node.Chain"/> of an operator applied to <paramref name="left"/>.</summary>
    /// <remarks>Left-deep chains (<c>a + a + a</c>, <c>x.a.a</c>, <c>x|f|f</c>, <c>f()()</c>) are parsed iteratively but
    /// evaluated recursively, so their length is bounded here rather than by the parser's nesting depth.</remarks>
    private int Link(Node left, int position)
    {
        int chain = left.Chain + 1;
        if (chain > maxDepth * 4)
        {
            throw Error($"Expression is longer than the limit of {maxDepth * 4} chained operators", position);
        }

        return chain;
    }

    /// <summary>The binary-operator levels, loosest first.</summary>
    private enum Precedence
    {
        Or,
        And,
        Comparison,
        Additive,
        Multiplicative,
    }
}
