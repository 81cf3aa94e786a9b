using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.Normalizers;

/// <summary>Replaces every match of a string or regex pattern with fixed content.</summary>
internal sealed class ReplaceNormalizer : TextNormalizer
{
    private readonly string? _literal;
    private readonly PatternRegex? _regex;
    private readonly string _content;

    public ReplaceNormalizer(string? literal, PatternRegex? regex, string content)
    {
        _literal = literal;
        _regex = regex;
        _content = content;
    }

    /// <summary>Gets the literal pattern, or null for a regex pattern.</summary>
    public string? Literal => _literal;

    public string Content => _content;

    public override string Normalize(string text)
    {
        if (_literal is not null)
        {
            return _literal.Length == 0 ? text : text.Replace(_literal, _content, StringComparison.Ordinal);
        }

        return _regex!.Replace(text, _content);
    }
}
