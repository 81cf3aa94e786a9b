using System.Buffers;
using System.Text;

namespace Sllm.Tokenization.Models;

/// <summary>
/// SentencePiece Unigram: the Viterbi path maximizing the summed piece scores; a code point no piece covers is an
/// unknown piece scored <c>min_score - 10</c> (byte tokens instead with <c>byte_fallback</c>); runs of unknowns are
/// fused. The token string of an unknown piece is its raw text. Immutable and thread-safe.
/// </summary>
internal sealed class UnigramModel : TokenizerModel
{
    private readonly double[] _scores;
    private readonly double _unkScore;
    private readonly bool _byteFallback;
    private readonly Dictionary<char, int>[] _trie;
    private readonly int[] _trieToken;
    private readonly ByteFallbackTable _byteTokens;

    public UnigramModel(Vocabulary vocabulary, IReadOnlyList<(string Piece, double Score)> pieces, int unkId, bool byteFallback)
        : base(vocabulary, unkId, fuseUnk: true)
    {
        _byteFallback = byteFallback;
        _scores = new double[pieces.Count];
        double min = double.MaxValue;
        var trie = new List<Dictionary<char, int>> { new() };
        var trieToken = new List<int> { -1 };
        for (int id = 0; id < pieces.Count; id++)
        {
            (string piece, double score) = pieces[id];
            _scores[id] = score;
            min = Math.Min(min, score);
            int node = 0;
            foreach (char c in piece)
            {
                if (!trie[node].TryGetValue(c, out int child))
                {
                    child = trie.Count;
                    trie.Add([]);
                    trieToken.Add(-1);
                    trie[node][c] = child;
                }

                node = child;
            }

            if (piece.Length > 0 && trieToken[node] < 0)
            {
                trieToken[node] = id;
            }
        }

        _unkScore = (pieces.Count == 0 ? 0 : min) - 10.0;
        if (unkId >= 0 && unkId < _scores.Length)
        {
            _scores[unkId] = _unkScore;
        }

        _trie = [.. trie];
        _trieToken = [.. trieToken];
        _byteTokens = new ByteFallbackTable(vocabulary);
    }

    public override void Encode(ReadOnlySpan<char> word, EncodeBuffer output)
    {
        int n = word.Length;
        if (n == 0)
        {
            return;
        }

        double[] best = ArrayPool<double>.Shared.Rent(n + 1);
        int[] from = ArrayPool<int>.Shared.Rent(n + 1);
        int[] token = ArrayPool<int>.Shared.Rent(n + 1);
        try
        {
            from.AsSpan(0, n + 1).Fill(-1);
            best[0] = 0;
            from[0] = 0;
            for (int start = 0; start < n;)
            {
                int step = char.IsHighSurrogate(word[start]) && start + 1 < n && char.IsLowSurrogate(word[start + 1]) ? 2 : 1;
                if (from[start] < 0)
                {
                    start += step;
                    continue;
                }

                bool single = false;
                int node = 0;
                for (int j = start; j < n && _trie[node].TryGetValue(word[j], out node); j++)
                {
                    int id = _trieToken[node];
                    bool boundary = j + 1 == n || !char.IsLowSurrogate(word[j + 1]);
                    if (id >= 0 && boundary)
                    {
                        single |= j + 1 - start == step;
                        Relax(best, from, token, start, j + 1, best[start] + _scores[id], id);
                    }
                }

                if (!single)
                {
                    Relax(best, from, token, start, start + step, best[start] + _unkScore, -1);
                }

                start += step;
            }

            Span<int> path = n <= 256 ? stackalloc int[n] : new int[n];
            int count = 0;
            for (int end = n; end > 0; end = from[end])
            {
                path[count++] = end;
            }

            for (int k = count - 1; k >= 0; k--)
            {
                int end = path[k];
                int start = from[end];
                int id = token[end];
                if (id >= 0)
                {
                    output.Add(id);
                }
                else
                {
                    EmitUnknown(word[start..end], output);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(token);
            ArrayPool<int>.Shared.Return(from);
            ArrayPool<double>.Shared.Return(best);
        }
    }

    private static void Relax(double[] best, int[] from, int[] token, int start, int end, double score, int id)
    {
        // First found wins ties, as the reference's lattice does.
        if (from[end] < 0 || score > best[end])
        {
            best[end] = score;
            from[end] = start;
            token[end] = id;
        }
    }

    private void EmitUnknown(ReadOnlySpan<char> text, EncodeBuffer output)
    {
        if (_byteFallback && _byteTokens.TryAdd(text, output))
        {
            return;
        }

        if (UnkId >= 0)
        {
            output.Add(UnkId, output.Texts is null ? null : text.ToString());
        }
    }
}
