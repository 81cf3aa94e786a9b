using Microsoft.ML.Tokenizers;

namespace Sllm.Rag;

/// <summary>
/// Splits a document into chunks of at most <see cref="TextChunkerOptions.MaxTokensPerChunk"/> tokens, cutting at
/// paragraph, then sentence, then word boundaries, with optional overlap, and reports each chunk's character offsets.
/// </summary>
/// <remarks>
/// <para>
/// Token counts come from the <see cref="Tokenizer"/> given to the constructor (use the embedding model's own), applied
/// to each chunk's exact text, so the budget holds for that tokenizer even where merges across pieces change counts. A
/// word longer than the budget is cut between grapheme clusters, or between Unicode scalars if one cluster is too long;
/// a surrogate pair is never split.
/// </para>
/// <para>
/// The algorithm: cut the text into pieces that each fit the budget (paragraphs; too-long paragraphs into sentences;
/// too-long sentences into words), then pack consecutive pieces greedily into chunks. A new chunk starts with the
/// trailing pieces of the previous chunk that fit in <see cref="TextChunkerOptions.OverlapTokens"/>. Chunk text is
/// trimmed of surrounding whitespace; whitespace-only input gives no chunks.
/// </para>
/// <para>Thread-safe if the tokenizer is (Microsoft.ML.Tokenizers' built-in tokenizers are).</para>
/// </remarks>
public sealed class TextChunker
{
    private readonly Tokenizer tokenizer;
    private readonly int maxTokens;
    private readonly int overlapTokens;

    /// <summary>Initializes a new instance of the <see cref="TextChunker"/> class.</summary>
    /// <param name="tokenizer">Counts tokens; use the tokenizer of the model that will read the chunks.</param>
    /// <param name="options">The budget and overlap; null uses the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tokenizer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid (see <see cref="TextChunkerOptions.Validate"/>).</exception>
    public TextChunker(Tokenizer tokenizer, TextChunkerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        options ??= new TextChunkerOptions();
        options.Validate();
        this.tokenizer = tokenizer;
        maxTokens = options.MaxTokensPerChunk;
        overlapTokens = options.OverlapTokens;
    }

    /// <summary>Splits <paramref name="text"/> into chunks.</summary>
    /// <param name="text">The document.</param>
    /// <returns>The chunks in document order, indexed from 0; empty when the text is empty or only whitespace.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public IReadOnlyList<TextChunk> Chunk(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pieces = new List<(int Start, int End)>();
        if (text.Length > 0)
        {
            SplitToFit(text, 0, text.Length, TextBoundaries.Level.Paragraph, pieces);
        }

        var chunks = new List<TextChunk>();
        int first = 0;
        while (first < pieces.Count)
        {
            int last = first;
            while (last + 1 < pieces.Count && Fits(text, pieces[first].Start, pieces[last + 1].End))
            {
                last++;
            }

            (int start, int end) = Trim(text, pieces[first].Start, pieces[last].End);
            if (end > start)
            {
                chunks.Add(new TextChunk(chunks.Count, start, text[start..end], Count(text, start, end)));
            }

            if (last == pieces.Count - 1)
            {
                break;
            }

            first = NextFirst(text, pieces, first, last);
        }

        return chunks;
    }

    // The next chunk starts with the previous chunk's trailing pieces that fit in the overlap budget, as long as
    // they still leave room for the first new piece, so every chunk makes progress.
    private int NextFirst(string text, List<(int Start, int End)> pieces, int first, int last)
    {
        int next = last + 1;
        if (overlapTokens == 0)
        {
            return next;
        }

        int candidate = last;
        while (candidate > first && Count(text, pieces[candidate].Start, pieces[last].End) <= overlapTokens)
        {
            candidate--;
        }

        candidate++;
        while (candidate < next && !Fits(text, pieces[candidate].Start, pieces[next].End))
        {
            candidate++;
        }

        return candidate;
    }

    private void SplitToFit(string text, int start, int end, TextBoundaries.Level level, List<(int Start, int End)> pieces)
    {
        if (Fits(text, start, end))
        {
            pieces.Add((start, end));
            return;
        }

        for (TextBoundaries.Level l = level; l <= TextBoundaries.Level.Word; l++)
        {
            List<int> cuts = TextBoundaries.Cuts(text, start, end, l);
            if (cuts.Count > 0)
            {
                int from = start;
                foreach (int cut in cuts)
                {
                    SplitToFit(text, from, cut, l + 1 > TextBoundaries.Level.Word ? TextBoundaries.Level.Word : l + 1, pieces);
                    from = cut;
                }

                SplitToFit(text, from, end, l + 1 > TextBoundaries.Level.Word ? TextBoundaries.Level.Word : l + 1, pieces);
                return;
            }
        }

        HardSplit(text, start, end, pieces);
    }

    // One word over the budget: take the longest prefix that fits, ending between grapheme clusters (or Unicode
    // scalars when even one cluster is too long), and repeat on the rest.
    private void HardSplit(string text, int start, int end, List<(int Start, int End)> pieces)
    {
        while (start < end)
        {
            if (Fits(text, start, end))
            {
                pieces.Add((start, end));
                return;
            }

            int cut = LongestFittingCut(text, start, TextBoundaries.TextElements(text, start, end));
            if (cut < 0)
            {
                cut = LongestFittingCut(text, start, TextBoundaries.Runes(text, start, end));
            }

            if (cut < 0)
            {
                // Unreachable with MaxTokensPerChunk >= 16 unless the tokenizer maps one scalar to 16+ tokens; keep
                // the scalar whole rather than emit broken UTF-16, and let the caller see its count.
                cut = TextBoundaries.Runes(text, start, end) is { Count: > 0 } runes ? runes[0] : end;
            }

            pieces.Add((start, cut));
            start = cut;
        }
    }

    // Binary search over candidate cut positions; only a verified fitting cut is returned (-1 if none fits).
    private int LongestFittingCut(string text, int start, List<int> cuts)
    {
        int lo = 0, hi = cuts.Count - 1, best = -1;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) / 2);
            if (Fits(text, start, cuts[mid]))
            {
                best = cuts[mid];
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return best;
    }

    private bool Fits(string text, int start, int end)
    {
        (int s, int e) = Trim(text, start, end);
        return Count(text, s, e) <= maxTokens;
    }

    private int Count(string text, int start, int end)
    {
        (int s, int e) = Trim(text, start, end);
        return e > s ? tokenizer.CountTokens(text.AsSpan(s, e - s)) : 0;
    }

    private static (int Start, int End) Trim(string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return (start, end);
    }
}
