using Sllm.Generation;

namespace Sllm.Onnx;

public sealed partial class Generator
{
    private float[] verifyLogits = [];
    private int[] verifyColumns = [];

    /// <summary>Gets a value indicating whether <see cref="VerifyDraft"/> works: one sequence, a model whose graph returns
    /// logits for every position, and a KV cache that can be rewound.</summary>
    public bool SupportsSpeculation => BatchSize == 1 && graph.LogitsForAllPositions && model.CanRewind;

    /// <summary>Gets whether the next step needs a model run first (the last token is pending); <see langword="false"/>
    /// right after a prompt pass, whose logits are already at hand.</summary>
    internal bool HasPendingToken => !logitsValid;

    internal int VocabularySize => vocab;

    /// <summary>Speculative decoding's verification round: runs the pending token and the draft through the model in one
    /// pass, then chooses the token at each position exactly as <see cref="GenerateNextToken"/> would (penalties and
    /// logits processors applied against the sequence up to that position), keeping the draft's tokens while they agree,
    /// the first disagreeing choice (the correction) or, when all agree, one more token (the bonus). The KV cache is
    /// rewound past the rejected draft tokens.</summary>
    /// <param name="draft">The proposed tokens; tokens past <see cref="MaxLength"/> are not verified.</param>
    /// <param name="draftProbabilities">Empty for a deterministic proposal, or the draft distribution of each proposed
    /// token (<c>draft.Length * vocabulary</c> values) for the sampling acceptance rule.</param>
    /// <param name="cancellationToken">Stops the model run; the generator is then unchanged.</param>
    /// <returns>How many draft tokens were accepted and how many tokens were appended (1 to draft length + 1).</returns>
    /// <remarks>Greedy output is token-identical to plain decoding; sampled output has the same distribution. Generation
    /// stops inside the accepted run at an end-of-sequence token or at <see cref="MaxLength"/>. An empty draft, or a
    /// generator whose next token comes from a prompt pass already run, takes one plain step. No allocations in steady
    /// state beyond ONNX Runtime's own per-pass objects; the logits buffer grows to the longest draft once.</remarks>
    /// <exception cref="GenerationException">The model cannot verify drafts (<see cref="SllmErrorKind.UnsupportedOperation"/>:
    /// a batch, a graph that returns only the last position's logits, or recurrent state), or ONNX Runtime failed.</exception>
    /// <exception cref="InvalidOperationException">No tokens were appended yet, or the sequence has finished.</exception>
    /// <exception cref="ArgumentException">A draft id is outside the vocabulary or the distributions are too short.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public DraftVerification VerifyDraft(ReadOnlySpan<int> draft, ReadOnlySpan<float> draftProbabilities, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ThrowIfCannotSpeculate();
        if (!draftProbabilities.IsEmpty && draftProbabilities.Length < draft.Length * vocab)
        {
            throw new ArgumentException($"{draftProbabilities.Length} draft probabilities were given for {draft.Length} tokens of a {vocab}-token vocabulary.", nameof(draftProbabilities));
        }

        int length = lengths[0];
        int count = Math.Min(draft.Length, MaxLength - length - 1);
        if (count <= 0 || logitsValid || paddedLength == 0 || IsDone)
        {
            GenerateNextToken(cancellationToken);
            return new DraftVerification(0, 1);
        }

        cancellationToken.ThrowIfCancellationRequested();
        draft = draft[..count];
        CheckIds(draft, nameof(draft));
        int pending = length - width;
        int rows = count + 1;
        EnsureVerifyBuffers(rows);
        int[] sequence = tokens[0];
        draft.CopyTo(sequence.AsSpan(length));
        for (int j = 0; j < pending + count; j++)
        {
            Inputs.SetId(j, sequence[width + j]);
            Inputs.SetPosition(j, width + j);
        }

        Span<int> columns = verifyColumns.AsSpan(0, rows);
        for (int i = 0; i < rows; i++)
        {
            columns[i] = pending - 1 + i;
        }

        Runner.Run(pending + count, width, columns, verifyLogits, cancellationToken);
        width += pending + count;
        return Choose(draft, draftProbabilities, length);
    }

    private DraftVerification Choose(ReadOnlySpan<int> draft, ReadOnlySpan<float> draftProbabilities, int length)
    {
        int[] sequence = tokens[0];
        int accepted = 0, appended = 0;
        for (int i = 0; i <= draft.Length; i++)
        {
            int position = length + i;
            Span<float> row = verifyLogits.AsSpan(i * vocab, vocab);
            ReadOnlySpan<int> prefix = sequence.AsSpan(0, position);
            int token = i < draft.Length
                ? sampler.SampleWithDraft(prefix, promptLengths[0], row, draft[i], draftProbabilities.IsEmpty ? default : draftProbabilities.Slice(i * vocab, vocab))
                : sampler.Sample(prefix, promptLengths[0], row);
            sequence[position] = token;
            appended++;
            bool agreed = i < draft.Length && token == draft[i];
            accepted += agreed ? 1 : 0;
            if (Array.IndexOf(eosTokenIds, token) >= 0)
            {
                finish[0] = GenerationFinishReason.EndOfSequence;
                break;
            }

            if (position + 1 >= MaxLength)
            {
                finish[0] = GenerationFinishReason.MaxLength;
                break;
            }

            if (!agreed)
            {
                break;
            }
        }

        lengths[0] = paddedLength = length + appended;
        nextTokens[0] = sequence[length + appended - 1];

        // The last appended token has not run (or ran as a draft but the sequence ends there); everything before it ran.
        DropCachedPositionsFrom(lengths[0] - 1);

        logitsValid = false;
        return new DraftVerification(accepted, appended);
    }

    private void EnsureVerifyBuffers(int rows)
    {
        if (verifyColumns.Length < rows)
        {
            verifyColumns = new int[rows];
            verifyLogits = new float[rows * vocab];
        }
    }

    internal void ThrowIfCannotSpeculate()
    {
        if (SupportsSpeculation)
        {
            return;
        }

        string reason = BatchSize != 1
            ? $"the generator has a batch of {BatchSize} sequences (speculation needs exactly one)"
            : !graph.LogitsForAllPositions
                ? $"the graph's '{graph.Logits}' output has logits for the last position only (exported with a pruned LM head); verification needs [batch, sequence, vocabulary]"
                : $"'{model.ModelType}' models carry recurrent state that cannot be rewound";
        throw new GenerationException(SllmErrorKind.UnsupportedOperation, $"{model.ModelFile}: speculative decoding is not supported: {reason}.", model.ModelFile);
    }
}
