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
        if (!MayApply(text))
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
    /// Applies the rewrite in place to the first <paramref name="length"/> characters of <paramref name="text"/>,
    /// with the same result as <see cref="Apply(string)"/> (every rule only removes characters).
    /// </summary>
    /// <returns>The new length.</returns>
    public static int Apply(Span<char> text, int length)
    {
        if (!MayApply(text[..length]))
        {
            return length;
        }

        foreach ((string from, string to) in Rules)
        {
            length = ReplaceInPlace(text, length, from, to);
        }

        return length;
    }

    /// <summary>Gets whether some rule's pattern (a space, then one of <c>.?!,'n</c>) can occur in the text.</summary>
    public static bool MayApply(ReadOnlySpan<char> text)
    {
        int at = text.IndexOf(' ');
        while (at >= 0 && at + 1 < text.Length)
        {
            if (text[at + 1] is '.' or '?' or '!' or ',' or '\'' or 'n')
            {
                return true;
            }

            int next = text[(at + 1)..].IndexOf(' ');
            at = next < 0 ? -1 : at + 1 + next;
        }

        return false;
    }

    private static int ReplaceInPlace(Span<char> text, int length, string from, string to)
    {
        int found = text[..length].IndexOf(from, StringComparison.Ordinal);
        if (found < 0)
        {
            return length;
        }

        // Left to right, non-overlapping, like string.Replace; the write position never passes the read position.
        int write = found, read = found;
        while (true)
        {
            to.CopyTo(text[write..]);
            write += to.Length;
            read += from.Length;
            int next = text[read..length].IndexOf(from, StringComparison.Ordinal);
            int end = next < 0 ? length : read + next;
            text[read..end].CopyTo(text[write..]);
            write += end - read;
            read = end;
            if (next < 0)
            {
                return write;
            }
        }
    }

    /// <summary>
    /// How many trailing characters of <paramref name="text"/> could still be rewritten once more text follows
    /// (a proper prefix of a rule's pattern), so a streaming decoder must hold them back.
    /// </summary>
    public static int PendingSuffixLength(ReadOnlySpan<char> text)
    {
        // The proper prefixes of the patterns, longest first: " 'v", " 'r", " n'", " '", " n", " ".
        int n = text.Length;
        if (n >= 3 && text[n - 3] == ' ' && ((text[n - 2] == '\'' && text[n - 1] is 'v' or 'r') || (text[n - 2] == 'n' && text[n - 1] == '\'')))
        {
            return 3;
        }

        if (n >= 2 && text[n - 2] == ' ' && text[n - 1] is '\'' or 'n')
        {
            return 2;
        }

        return n >= 1 && text[n - 1] == ' ' ? 1 : 0;
    }

    /// <summary>
    /// Where a streaming decoder must stop returning cleaned text: the earliest pattern occurrence that later text could
    /// complete (a space starting a proper prefix of a pattern at the end) or that overlaps such an occurrence or the
    /// text held back for it, transitively. The text before that point cleans the same whatever follows (rules only
    /// delete spaces, and an occurrence that neither reaches nor overlaps the held text does not depend on it). The
    /// length when nothing need be held.
    /// </summary>
    public static int HoldBackStart(ReadOnlySpan<char> raw)
    {
        int n = raw.Length, hold = n;
        for (int k = n - 1; k >= 0 && k >= n - 3; k--)
        {
            if (raw[k] == ' ' && IsOpenPrefix(raw[k..]))
            {
                hold = k;
            }
        }

        for (bool moved = hold < n; moved;)
        {
            moved = false;
            for (int p = Math.Max(0, hold - 3); p < hold; p++)
            {
                if (raw[p] == ' ' && OverlapsFrom(raw, p, hold))
                {
                    hold = p;
                    moved = true;
                    break;
                }
            }
        }

        return hold;
    }

    private static bool IsOpenPrefix(ReadOnlySpan<char> tail)
    {
        foreach ((string from, _) in Rules)
        {
            if (tail.Length < from.Length && from.AsSpan().StartsWith(tail, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool OverlapsFrom(ReadOnlySpan<char> raw, int p, int hold)
    {
        foreach ((string from, _) in Rules)
        {
            if (p + from.Length > hold && raw[p..].StartsWith(from, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The rule-driven form of <see cref="PendingSuffixLength"/> (tests compare the two).</summary>
    internal static int PendingSuffixLengthFromRules(ReadOnlySpan<char> text)
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
