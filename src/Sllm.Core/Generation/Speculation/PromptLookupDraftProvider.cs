namespace Sllm.Generation;

/// <summary>
/// Prompt lookup decoding: proposes the tokens that followed the most recent earlier occurrence of the sequence's last
/// n tokens (n from <see cref="MaxNgramSize"/> down to <see cref="MinNgramSize"/>), searched in the prompt and the text
/// generated so far. Needs no second model and costs no model run to draft; pays off on output that copies its input
/// (summaries, edits, answers quoting a document, code changes).
/// </summary>
/// <remarks>When the continuation after the match runs into the end of the sequence, the proposal continues copying from
/// its own start (so a repeating pattern of period P still fills the whole draft). Stateless between calls, so one
/// instance may serve successive requests; not thread-safe only in the sense that it must not serve two at once.
/// Allocates nothing per call.</remarks>
public sealed class PromptLookupDraftProvider : IDraftProvider
{
    /// <summary>Initializes a new instance of the <see cref="PromptLookupDraftProvider"/> class.</summary>
    /// <param name="minNgramSize">The shortest suffix matched; at least 1.</param>
    /// <param name="maxNgramSize">The longest suffix matched, tried first; at least <paramref name="minNgramSize"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public PromptLookupDraftProvider(int minNgramSize = 1, int maxNgramSize = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minNgramSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNgramSize, minNgramSize);
        MinNgramSize = minNgramSize;
        MaxNgramSize = maxNgramSize;
    }

    /// <summary>Gets the shortest suffix matched.</summary>
    public int MinNgramSize { get; }

    /// <summary>Gets the longest suffix matched.</summary>
    public int MaxNgramSize { get; }

    /// <inheritdoc />
    public bool ProducesDistributions => false;

    /// <inheritdoc />
    public void Reset(ReadOnlySpan<int> prompt)
    {
    }

    /// <inheritdoc />
    public int Propose(ReadOnlySpan<int> sequence, Span<int> draft, Span<float> distributions)
    {
        int length = sequence.Length;
        for (int n = Math.Min(MaxNgramSize, length - 1); n >= MinNgramSize; n--)
        {
            ReadOnlySpan<int> suffix = sequence[(length - n)..];
            for (int start = length - n - 1; start >= 0; start--)
            {
                if (sequence[start] == suffix[0] && sequence.Slice(start, n).SequenceEqual(suffix))
                {
                    return Copy(sequence, start + n, draft);
                }
            }
        }

        return 0;
    }

    /// <inheritdoc />
    public void Accept(ReadOnlySpan<int> sequence, int acceptedTokens)
    {
    }

    private static int Copy(ReadOnlySpan<int> sequence, int from, Span<int> draft)
    {
        int length = sequence.Length;
        for (int j = 0; j < draft.Length; j++)
        {
            int index = from + j;
            draft[j] = index < length ? sequence[index] : draft[index - length];
        }

        return draft.Length;
    }
}
