namespace Sllm.ChatTemplates.Jinja;

/// <summary>Primary expressions: literals, identifiers, parentheses, list/dict literals, arguments, member access and slices.</summary>
internal sealed partial class Parser
{
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
                    obj = new Node(NodeKind.Member, op.Position) { A = obj, Name = property.Name, Chain = Link(obj, op.Position) };
                }
                else if (property.Kind == NodeKind.Literal && property.Value!.Kind == ValueKind.Integer)
                {
                    obj = new Node(NodeKind.Member, op.Position) { A = obj, B = property, Chain = Link(obj, op.Position) };
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
            return new Node(NodeKind.Member, start) { A = obj, B = slices[0], Chain = Link(obj, start) };
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
            Chain = Link(obj, start),
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
}
