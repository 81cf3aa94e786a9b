namespace Sllm.Tokenization.Text;

/// <summary>The Hugging Face <c>clean_up_tokenization</c> rewrite of English tokenization artefacts.</summary>
internal static class CleanUp
{
    private static readonly (string From, string To)[] Rules =
    [
        (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
        (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
    ];

    public static string Apply(string text)
    {
        if (!text.Contains(' ', StringComparison.Ordinal))
        {
            return text;
        }

        // Applied rule after rule over the whole text, as the reference does (each replacement sees the previous ones).
        foreach ((string from, string to) in Rules)
        {
            if (text.Contains(from, StringComparison.Ordinal))
            {
                text = text.Replace(from, to, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>
    /// How many trailing characters of <paramref name="text"/> could still be rewritten once more text follows
    /// (a proper prefix of a rule's pattern), so a streaming decoder must hold them back.
    /// </summary>
    public static int PendingSuffixLength(ReadOnlySpan<char> text)
    {
        int best = 0;
        foreach ((string from, _) in Rules)
        {
            for (int len = Math.Min(from.Length - 1, text.Length); len > best; len--)
            {
                if (text.EndsWith(from.AsSpan(0, len), StringComparison.Ordinal))
                {
                    best = len;
                    break;
                }
            }
        }

        return best;
    }
}
