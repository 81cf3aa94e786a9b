namespace Sllm.Tokenization.Text;

/// <summary>
/// Splits text on added-token contents: scanning left to right, the longest content starting at each position wins
/// (a trie walk, as the reference's DictionarySplitter). Immutable and thread-safe after construction.
/// </summary>
internal sealed class AddedTokenSplitter
{
    private readonly Dictionary<char, int>[] _children;
    private readonly int[] _terminal;

    public AddedTokenSplitter(IReadOnlyList<(string Content, int TokenIndex)> entries)
    {
        var children = new List<Dictionary<char, int>> { new() };
        var terminal = new List<int> { -1 };
        foreach ((string content, int tokenIndex) in entries)
        {
            if (content.Length == 0)
            {
                continue;
            }

            int node = 0;
            foreach (char c in content)
            {
                if (!children[node].TryGetValue(c, out int next))
                {
                    next = children.Count;
                    children.Add([]);
                    terminal.Add(-1);
                    children[node][c] = next;
                }

                node = next;
            }

            terminal[node] = tokenIndex;
        }

        _children = [.. children];
        _terminal = [.. terminal];
    }

    public bool IsEmpty => _children[0].Count == 0;

    /// <summary>Finds the next match at or after <paramref name="from"/>; returns false when there is none.</summary>
    /// <remarks><paramref name="singleWord"/> says per token index whether it only matches between non-word characters.</remarks>
    public bool FindNext(ReadOnlySpan<char> text, int from, bool[] singleWord, out int start, out int length, out int tokenIndex)
    {
        Dictionary<char, int> root = _children[0];
        for (int i = from; i < text.Length; i++)
        {
            if (!root.TryGetValue(text[i], out int node))
            {
                continue;
            }

            int bestLen = 0, bestToken = -1;
            int j = i + 1;
            while (true)
            {
                if (_terminal[node] >= 0 && (!singleWord[_terminal[node]] || IsWordBoundaryMatch(text, i, j)))
                {
                    bestLen = j - i;
                    bestToken = _terminal[node];
                }

                if (j >= text.Length || !_children[node].TryGetValue(text[j], out node))
                {
                    break;
                }

                j++;
            }

            if (bestToken >= 0)
            {
                start = i;
                length = bestLen;
                tokenIndex = bestToken;
                return true;
            }
        }

        start = length = 0;
        tokenIndex = -1;
        return false;
    }

    private static bool IsWordBoundaryMatch(ReadOnlySpan<char> text, int start, int end) =>
        (start == 0 || !IsWordChar(text[start - 1])) && (end == text.Length || !IsWordChar(text[end]));

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_' || char.IsSurrogate(c);
}
