namespace Sllm.ChatTemplates.Jinja;

/// <summary>A lexed token; <see cref="Position"/> is the offset in the original (not preprocessed) source.</summary>
internal sealed class Token
{
    public Token(TokenKind kind, string value, int position)
    {
        Kind = kind;
        Value = value;
        Position = position;
    }

    public TokenKind Kind { get; }

    public string Value { get; set; }

    public int Position { get; }
}
