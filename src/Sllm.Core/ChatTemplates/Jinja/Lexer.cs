using System.Text;

namespace Sllm.ChatTemplates.Jinja;

/// <summary>Turns a template into tokens exactly as @huggingface/jinja's <c>tokenize</c> does (with <c>lstrip_blocks</c> and
/// <c>trim_blocks</c> on), plus <c>{% raw %}</c> blocks, which the reference lacks.</summary>
internal sealed partial class Lexer
{
    private static readonly (string Text, TokenKind Kind)[] Table =
    [
        ("{%", TokenKind.OpenStatement),
        ("%}", TokenKind.CloseStatement),
        ("{{", TokenKind.OpenExpression),
        ("}}", TokenKind.CloseExpression),
        ("(", TokenKind.OpenParen),
        (")", TokenKind.CloseParen),
        ("{", TokenKind.OpenCurlyBracket),
        ("}", TokenKind.CloseCurlyBracket),
        ("[", TokenKind.OpenSquareBracket),
        ("]", TokenKind.CloseSquareBracket),
        (",", TokenKind.Comma),
        (".", TokenKind.Dot),
        (":", TokenKind.Colon),
        ("|", TokenKind.Pipe),
        ("<=", TokenKind.ComparisonBinaryOperator),
        (">=", TokenKind.ComparisonBinaryOperator),
        ("==", TokenKind.ComparisonBinaryOperator),
        ("!=", TokenKind.ComparisonBinaryOperator),
        ("<", TokenKind.ComparisonBinaryOperator),
        (">", TokenKind.ComparisonBinaryOperator),
        ("+", TokenKind.AdditiveBinaryOperator),
        ("-", TokenKind.AdditiveBinaryOperator),
        ("~", TokenKind.AdditiveBinaryOperator),
        ("**", TokenKind.Power),
        ("*", TokenKind.MultiplicativeBinaryOperator),
        ("//", TokenKind.MultiplicativeBinaryOperator),
        ("/", TokenKind.MultiplicativeBinaryOperator),
        ("%", TokenKind.MultiplicativeBinaryOperator),
        ("=", TokenKind.Equals),
    ];

    private readonly string src;
    private readonly int[] map;
    private readonly Func<string, int, Exception> error;
    private readonly List<Token> tokens = [];
    private int pos;

    private Lexer(string src, int[] map, Func<string, int, Exception> error)
    {
        this.src = src;
        this.map = map;
        this.error = error;
    }

    /// <summary>Tokenizes <paramref name="source"/>; <paramref name="error"/> builds the exception for a message and an original offset.</summary>
    public static List<Token> Tokenize(string source, Func<string, int, Exception> error)
    {
        string src = Preprocessor.Run(source, out int[] map);
        var lexer = new Lexer(src, map, error);
        lexer.Run();
        return lexer.tokens;
    }

    private int Orig(int p) => map.Length == 0 ? 0 : map[Math.Min(p, map.Length - 1)];

    private char At(int p) => p < src.Length ? src[p] : '\0';

    private Exception Error(string message) => error(message, Orig(pos));

    private void Add(TokenKind kind, string value, int start) => tokens.Add(new Token(kind, value, Orig(start)));

    private void Run()
    {
        int curlyDepth = 0;
        while (pos < src.Length)
        {
            TokenKind? last = tokens.Count > 0 ? tokens[^1].Kind : null;
            if (last is null or TokenKind.CloseStatement or TokenKind.CloseExpression or TokenKind.Comment)
            {
                int start = pos;
                while (pos < src.Length && !(src[pos] == '{' && At(pos + 1) is '%' or '{' or '#'))
                {
                    pos++;
                }

                if (pos > start)
                {
                    Add(TokenKind.Text, src[start..pos], start);
                    continue;
                }
            }

            if (src[pos] == '{' && At(pos + 1) == '#')
            {
                LexComment();
                continue;
            }

            if (TryLexRaw())
            {
                continue;
            }

            if (string.CompareOrdinal(src, pos, "{%-", 0, 3) == 0)
            {
                StripTrailingWhitespace();
                Add(TokenKind.OpenStatement, "{%", pos);
                pos += 3;
                continue;
            }

            if (string.CompareOrdinal(src, pos, "{{-", 0, 3) == 0)
            {
                StripTrailingWhitespace();
                Add(TokenKind.OpenExpression, "{{", pos);
                curlyDepth = 0;
                pos += 3;
                continue;
            }

            ConsumeWhile(CharClass.IsWhitespace);

            if (string.CompareOrdinal(src, pos, "-%}", 0, 3) == 0)
            {
                Add(TokenKind.CloseStatement, "%}", pos);
                pos += 3;
                SkipLeadingWhitespace();
                continue;
            }

            if (string.CompareOrdinal(src, pos, "-}}", 0, 3) == 0)
            {
                Add(TokenKind.CloseExpression, "}}", pos);
                pos += 3;
                SkipLeadingWhitespace();
                continue;
            }

            if (pos >= src.Length)
            {
                break;
            }

            char c = src[pos];
            if ((c == '-' || c == '+') && LexSign(c))
            {
                continue;
            }

            if (MatchTable(ref curlyDepth))
            {
                continue;
            }

            int tokenStart = pos;
            if (c is '\'' or '"')
            {
                pos++;
                string str = ConsumeWhile(ch => ch != c);
                Add(TokenKind.StringLiteral, str, tokenStart);
                pos++;
                continue;
            }

            if (CharClass.IsDigit(c))
            {
                string num = ConsumeWhile(CharClass.IsDigit);
                if ((tokens.Count == 0 || tokens[^1].Kind != TokenKind.Dot) && At(pos) == '.' && CharClass.IsDigit(At(pos + 1)))
                {
                    pos++;
                    num = num + "." + ConsumeWhile(CharClass.IsDigit);
                }

                Add(TokenKind.NumericLiteral, num, tokenStart);
                continue;
            }

            if (CharClass.IsWord(c))
            {
                Add(TokenKind.Identifier, ConsumeWhile(CharClass.IsWord), tokenStart);
                continue;
            }

            throw Error($"Unexpected character: {c}");
        }
    }

    private bool MatchTable(ref int curlyDepth)
    {
        foreach ((string seq, TokenKind kind) in Table)
        {
            if (kind == TokenKind.CloseExpression && curlyDepth > 0)
            {
                continue;
            }

            if (string.CompareOrdinal(src, pos, seq, 0, seq.Length) == 0 && pos + seq.Length <= src.Length)
            {
                Add(kind, seq, pos);
                if (kind == TokenKind.OpenExpression)
                {
                    curlyDepth = 0;
                }
                else if (kind == TokenKind.OpenCurlyBracket)
                {
                    curlyDepth++;
                }
                else if (kind == TokenKind.CloseCurlyBracket)
                {
                    curlyDepth--;
                }

                pos += seq.Length;
                return true;
            }
        }

        return false;
    }

    /// <summary>A <c>-</c> or <c>+</c> after an operand is binary (left to the table); otherwise unary, folded into a number when digits follow.</summary>
    private bool LexSign(char c)
    {
        TokenKind? last = tokens.Count > 0 ? tokens[^1].Kind : null;
        if (last is null or TokenKind.Text)
        {
            throw Error($"Unexpected character: {c}");
        }

        if (last is TokenKind.Identifier or TokenKind.NumericLiteral or TokenKind.StringLiteral or TokenKind.CloseParen
            or TokenKind.CloseSquareBracket)
        {
            return false;
        }

        int start = pos;
        pos++;
        string num = ConsumeWhile(CharClass.IsDigit);
        if (num.Length > 0 && At(pos) == '.' && CharClass.IsDigit(At(pos + 1)))
        {
            pos++;
            num = num + "." + ConsumeWhile(CharClass.IsDigit);
        }

        Add(num.Length > 0 ? TokenKind.NumericLiteral : TokenKind.UnaryOperator, c + num, start);
        return true;
    }

    private string ConsumeWhile(Func<char, bool> predicate)
    {
        StringBuilder? sb = null;
        int start = pos;
        while (pos < src.Length && predicate(src[pos]))
        {
            if (src[pos] == '\\')
            {
                sb ??= new StringBuilder().Append(src, start, pos - start);
                pos++;
                if (pos >= src.Length)
                {
                    throw Error("Unexpected end of input");
                }

                char escaped = src[pos++];
                sb.Append(escaped switch
                {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    'b' => '\b',
                    'f' => '\f',
                    'v' => '\v',
                    '\'' => '\'',
                    '"' => '"',
                    '\\' => '\\',
                    _ => throw Error($"Unexpected escaped character: {escaped}"),
                });
                continue;
            }

            sb?.Append(src[pos]);
            pos++;
            if (pos >= src.Length)
            {
                throw Error("Unexpected end of input");
            }
        }

        return sb?.ToString() ?? src[start..pos];
    }

    private void StripTrailingWhitespace()
    {
        if (tokens.Count > 0 && tokens[^1].Kind == TokenKind.Text)
        {
            Token last = tokens[^1];
            last.Value = CharClass.TrimEnd(last.Value);
            if (last.Value.Length == 0)
            {
                tokens.RemoveAt(tokens.Count - 1);
            }
        }
    }

    private void SkipLeadingWhitespace()
    {
        while (pos < src.Length && CharClass.IsWhitespace(src[pos]))
        {
            pos++;
        }
    }
}
