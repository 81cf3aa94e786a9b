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
        Node a = ParseOr();
        if (!IsIdentifier("if"))
        {
            return a;
        }

        int start = Position;
        current++;
        Node test = ParseOr();
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

    private Node ParseOr()
    {
        Node left = ParseAnd();
        while (IsIdentifier("or"))
        {
            int start = Position;
            current++;
            left = Binary(BinaryOperator.Or, left, ParseAnd(), start);
        }

        return left;
    }

    private Node ParseAnd()
    {
        Node left = ParseNot();
        while (IsIdentifier("and"))
        {
            int start = Position;
            current++;
            left = Binary(BinaryOperator.And, left, ParseNot(), start);
        }

        return left;
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

        return ParseComparison();
    }

    private Node ParseComparison()
    {
        Node left = ParseAdditive();
        while (true)
        {
            int start = Position;
            BinaryOperator op;
            if (IsIdentifier("not", "in"))
            {
                op = BinaryOperator.NotIn;
                current += 2;
            }
            else if (IsIdentifier("in"))
            {
                op = BinaryOperator.In;
                current++;
            }
            else if (Is(TokenKind.ComparisonBinaryOperator))
            {
                op = tokens[current++].Value switch
                {
                    "==" => BinaryOperator.Equal,
                    "!=" => BinaryOperator.NotEqual,
                    "<" => BinaryOperator.Less,
                    ">" => BinaryOperator.Greater,
                    "<=" => BinaryOperator.LessOrEqual,
                    _ => BinaryOperator.GreaterOrEqual,
                };
            }
            else
            {
                return left;
            }

            left = Binary(op, left, ParseAdditive(), start);
        }
    }

    private Node ParseAdditive()
    {
        Node left = ParseMultiplicative();
        while (Is(TokenKind.AdditiveBinaryOperator))
        {
            int start = Position;
            BinaryOperator op = tokens[current++].Value switch
            {
                "+" => BinaryOperator.Add,
                "-" => BinaryOperator.Subtract,
                _ => BinaryOperator.Concat,
            };
            left = Binary(op, left, ParseMultiplicative(), start);
        }

        return left;
    }

    private Node ParseMultiplicative()
    {
        Node left = ParseTest();
        while (Is(TokenKind.MultiplicativeBinaryOperator))
        {
            int start = Position;
            BinaryOperator op = tokens[current++].Value switch
            {
                "*" => BinaryOperator.Multiply,
                "/" => BinaryOperator.Divide,
                "//" => BinaryOperator.FloorDivide,
                _ => BinaryOperator.Modulo,
            };
            left = Binary(op, left, ParseTest(), start);
        }

        return left;
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

            operand = new Node(NodeKind.Test, start) { A = operand, Name = test.Name, Flag = negate, Items = args };
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
            operand = new Node(NodeKind.Filter, start) { A = operand, Name = filter.Name, Items = args };
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
            expression = ParseMember(new Node(NodeKind.Call, start) { A = expression, Items = ParseArgs() });
        }

        return expression;
    }

    private Node[] ParseArgs()
    {
        Expect(TokenKind.OpenParen, "Expected '(' for the arguments list");
        Enter();
        var args = new List<Node>();
        while (!Is(TokenKind.CloseParen))
        {
            if (current >= tokens.Count)
            {
                throw Error("Expected ')' to close the arguments list: unexpected end of template");
            }

            int start = Position;
            Node argument;
            if (Peek() is { Kind: TokenKind.MultiplicativeBinaryOperator, Value: "*" })
            {
                current++;
                argument = new Node(NodeKind.Spread, start) { A = ParseExpression() };
            }
            else
            {
                argument = ParseExpression();
                if (Is(TokenKind.Equals))
                {
                    current++;
                    if (argument.Kind != NodeKind.Identifier)
                    {
                        throw Error("Expected identifier for keyword argument", argument.Position);
                    }

                    argument = new Node(NodeKind.KeywordArgument, start) { Name = argument.Name, A = ParseExpression() };
                }
            }

            args.Add(argument);
            if (Is(TokenKind.Comma))
            {
                current++;
            }
            else if (!Is(TokenKind.CloseParen))
            {
                throw Error("Expected ',' or ')' in the arguments list");
            }
        }

        current++;
        Leave();
        return [.. args];
    }

    private Node ParseMember(Node obj)
    {
        while (Is(TokenKind.Dot) || Is(TokenKind.OpenSquareBracket))
        {
            Token op = tokens[current++];
            if (op.Kind == TokenKind.OpenSquareBracket)
            {
                obj = ParseSubscript(obj, op.Position);
                Expect(TokenKind.CloseSquareBracket, "Expected ']'");
            }
            else
            {
                Node property = ParsePrimary();
                if (property.Kind == NodeKind.Identifier)
                {
                    obj = new Node(NodeKind.Member, op.Position) { A = obj, Name = property.Name };
                }
                else if (property.Kind == NodeKind.Literal && property.Value!.Kind == ValueKind.Integer)
                {
                    obj = new Node(NodeKind.Member, op.Position) { A = obj, B = property };
                }
                else
                {
                    throw Error("Expected identifier or integer following dot operator", property.Position);
                }
            }
        }

        return obj;
    }

    private Node ParseSubscript(Node obj, int start)
    {
        Enter();
        var slices = new List<Node?>();
        bool isSlice = false;
        while (!Is(TokenKind.CloseSquareBracket))
        {
            if (current >= tokens.Count)
            {
                throw Error("Expected ']': unexpected end of template");
            }

            if (Is(TokenKind.Colon))
            {
                slices.Add(null);
                current++;
                isSlice = true;
            }
            else
            {
                slices.Add(ParseExpression());
                if (Is(TokenKind.Colon))
                {
                    current++;
                    isSlice = true;
                }
                else if (!Is(TokenKind.CloseSquareBracket))
                {
                    throw Error("Expected ':' or ']' in subscript");
                }
            }
        }

        Leave();
        if (slices.Count == 0)
        {
            throw Error("Expected at least one argument for member/slice expression");
        }

        if (!isSlice)
        {
            return new Node(NodeKind.Member, start) { A = obj, B = slices[0] };
        }

        if (slices.Count > 3)
        {
            throw Error("Expected 0-3 arguments for slice expression");
        }

        return new Node(NodeKind.Slice, start)
        {
            A = obj,
            B = slices[0],
            C = slices.Count > 1 ? slices[1] : null,
            D = slices.Count > 2 ? slices[2] : null,
        };
    }

    private Node ParsePrimary()
    {
        Token? token = Peek();
        if (token is null)
        {
            throw Error("Unexpected end of template in expression");
        }

        current++;
        switch (token.Kind)
        {
            case TokenKind.NumericLiteral:
                return new Node(NodeKind.Literal, token.Position) { Value = ParseNumber(token.Value) };
            case TokenKind.StringLiteral:
            {
                string value = token.Value;
                while (Is(TokenKind.StringLiteral))
                {
                    value += tokens[current++].Value;
                }

                return new Node(NodeKind.Literal, token.Position) { Value = JinjaValue.FromString(value) };
            }

            case TokenKind.Identifier:
                return new Node(NodeKind.Identifier, token.Position) { Name = token.Value };
            case TokenKind.OpenParen:
            {
                Enter();
                Node expression = ParseExpressionSequence(primary: false);
                Leave();
                Expect(TokenKind.CloseParen, "Expected ')'");
                return expression;
            }

            case TokenKind.OpenSquareBracket:
            {
                Enter();
                var values = new List<Node>();
                while (!Is(TokenKind.CloseSquareBracket))
                {
                    values.Add(ParseExpression());
                    if (Is(TokenKind.Comma))
                    {
                        current++;
                    }
                    else if (!Is(TokenKind.CloseSquareBracket))
                    {
                        throw Error("Expected ',' or ']' in list literal");
                    }
                }

                current++;
                Leave();
                return new Node(NodeKind.ArrayLiteral, token.Position) { Items = [.. values] };
            }

            case TokenKind.OpenCurlyBracket:
            {
                Enter();
                var keys = new List<Node>();
                var values = new List<Node>();
                while (!Is(TokenKind.CloseCurlyBracket))
                {
                    keys.Add(ParseExpression());
                    Expect(TokenKind.Colon, "Expected ':' between key and value in dict literal");
                    values.Add(ParseExpression());
                    if (Is(TokenKind.Comma))
                    {
                        current++;
                    }
                    else if (!Is(TokenKind.CloseCurlyBracket))
                    {
                        throw Error("Expected ',' or '}' in dict literal");
                    }
                }

                current++;
                Leave();
                return new Node(NodeKind.DictLiteral, token.Position) { Items = [.. keys], Items2 = [.. values] };
            }

            default:
                throw Error($"Unexpected token {Describe(token)}", token.Position);
        }
    }

    private Node Binary(BinaryOperator op, Node left, Node right, int position)
    {
        // Left-deep chains (a + a + a ...) are built iteratively; bound their depth for the recursive evaluator.
        int leftDepth = ChainDepth(left);
        if (leftDepth + 1 > maxDepth * 4)
        {
            throw Error($"Expression is longer than the limit of {maxDepth * 4} chained operators", position);
        }

        return new Node(NodeKind.Binary, position) { Operator = op, A = left, B = right, Flag = false, Value = JinjaValue.FromInt(leftDepth + 1) };
    }

    private static int ChainDepth(Node node) =>
        node.Kind == NodeKind.Binary && node.Value is { } depthValue ? (int)depthValue.Int : 0;
}
