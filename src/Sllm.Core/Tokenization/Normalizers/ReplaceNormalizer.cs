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

    /// <summary>Unmatched characters map one to one; each replacement stands for the whole match.</summary>
    public override string Normalize(string text, out Alignment alignment)
    {
        var matches = new List<(int Start, int Length)>();
        if (_literal is not null)
        {
            for (int at = _literal.Length == 0 ? -1 : text.IndexOf(_literal, StringComparison.Ordinal); at >= 0;
                at = text.IndexOf(_literal, at + _literal.Length, StringComparison.Ordinal))
            {
                matches.Add((at, _literal.Length));
            }
        }
        else
        {
            _regex!.Matches(text, matches);
        }

        var starts = new List<int>(text.Length);
        var ends = new List<int>(text.Length);
        var sb = new System.Text.StringBuilder(text.Length);
        int last = 0;
        foreach ((int start, int length) in matches)
        {
            for (int k = last; k < start; k++)
            {
                starts.Add(k);
                ends.Add(k + 1);
            }

            sb.Append(text, last, start - last).Append(_content);
            for (int k = 0; k < _content.Length; k++)
            {
                starts.Add(start);
                ends.Add(start + length);
            }

            last = start + length;
        }

        for (int k = last; k < text.Length; k++)
        {
            starts.Add(k);
            ends.Add(k + 1);
        }

        sb.Append(text, last, text.Length - last);
        alignment = Alignment.Create([.. starts], [.. ends], text.Length);
        return sb.ToString();
    }
}
