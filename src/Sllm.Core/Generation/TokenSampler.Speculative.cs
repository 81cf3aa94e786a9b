using System.Numerics.Tensors;

namespace Sllm.Generation;

/// <summary>The speculative-decoding side of the sampler: the processed distribution as probabilities, and the
/// speculative-sampling acceptance rule (Leviathan et al. 2023, Chen et al. 2023) that keeps the output distribution
/// equal to plain sampling.</summary>
public sealed partial class TokenSampler
{
    private float[] _probabilities = [];

    /// <summary>Gets a value indicating whether the sampler always picks the highest logit.</summary>
    public bool IsGreedy => _method == SamplingMethod.Greedy;

    /// <summary>Processes one row of logits in place, as <see cref="Sample"/> does, and writes the exact distribution
    /// <see cref="Sample"/> would draw from (after temperature, top-k, top-p and min-p) as probabilities summing to 1.</summary>
    /// <param name="sequence">The row's tokens so far: the prompt followed by the generated tokens.</param>
    /// <param name="promptLength">How many leading tokens of <paramref name="sequence"/> are the prompt.</param>
    /// <param name="logits">The row's logits; on return penalised and processed, as after <see cref="Sample"/>.</param>
    /// <param name="probabilities">Receives one probability per vocabulary entry; greedy settings give a point mass.</param>
    /// <remarks>Does not allocate and does not draw a random number.</remarks>
    /// <exception cref="ArgumentException">A span is not <see cref="VocabularySize"/> long.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="promptLength"/> is out of range.</exception>
    /// <exception cref="InvalidOperationException">Every token is banned.</exception>
    public void ComputeProbabilities(ReadOnlySpan<int> sequence, int promptLength, Span<float> logits, Span<float> probabilities)
    {
        CheckRow(probabilities, nameof(probabilities));
        int best = ProcessRow(sequence, promptLength, logits);
        probabilities.Clear();
        switch (_method)
        {
            case SamplingMethod.Greedy:
                probabilities[best] = 1;
                break;
            case SamplingMethod.TopK or SamplingMethod.TopKTopP:
                int keep = SelectTopK(logits, _method == SamplingMethod.TopKTopP);
                Scatter(_keys.AsSpan(0, keep), _weights.AsSpan(0, keep), indexed: false, probabilities);
                break;
            case SamplingMethod.TopP:
                int kept = SelectTopP(logits, best);
                Scatter(_keys.AsSpan(0, kept), _weights, indexed: true, probabilities);
                break;
            default:
                SelectUnrestricted(logits, best);
                TensorPrimitives.Divide(_weights, TensorPrimitives.Sum(_weights), probabilities);
                break;
        }
    }

    /// <summary>Draws a token from probabilities (or any non-negative weights) with this sampler's random state.</summary>
    /// <param name="probabilities">One weight per vocabulary entry, not all zero.</param>
    /// <returns>The token id.</returns>
    /// <exception cref="ArgumentException"><paramref name="probabilities"/> is not <see cref="VocabularySize"/> long.</exception>
    public int SampleFrom(ReadOnlySpan<float> probabilities)
    {
        CheckRow(probabilities, nameof(probabilities));
        return CategoricalDraw.Position(_random, probabilities);
    }

    /// <summary>Chooses the token at a position holding a draft token, with the speculative-sampling rule: the result
    /// equals <paramref name="draftToken"/> when the draft is accepted, and is otherwise the correction token.</summary>
    /// <param name="sequence">The tokens before this position.</param>
    /// <param name="promptLength">How many leading tokens of <paramref name="sequence"/> are the prompt.</param>
    /// <param name="logits">The target model's logits at this position; processed in place.</param>
    /// <param name="draftToken">The proposed token.</param>
    /// <param name="draftProbabilities">The draft's processed distribution at this position, or empty for a
    /// deterministic proposal (a point mass: prompt lookup, a greedy draft model).</param>
    /// <returns>The chosen token.</returns>
    /// <remarks>For a point mass the rule reduces to "draw y from the target distribution, accept iff y is the draft",
    /// which is exactly <see cref="Sample"/>; greedy settings accept iff the draft is the highest logit. Otherwise see
    /// <see cref="AcceptOrResample"/>. Allocates one vocabulary-sized buffer on the first call with a distribution.</remarks>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public int SampleWithDraft(ReadOnlySpan<int> sequence, int promptLength, Span<float> logits, int draftToken, ReadOnlySpan<float> draftProbabilities)
    {
        if (draftProbabilities.IsEmpty || IsGreedy)
        {
            return Sample(sequence, promptLength, logits);
        }

        if (_probabilities.Length == 0)
        {
            _probabilities = new float[_vocabularySize];
        }

        ComputeProbabilities(sequence, promptLength, logits, _probabilities);
        return AcceptOrResample(_probabilities, draftToken, draftProbabilities);
    }

    /// <summary>The speculative-sampling acceptance test on explicit distributions: accepts <paramref name="draftToken"/>
    /// with probability min(1, p(x)/q(x)); on rejection draws from the residual norm(max(0, p − q)).</summary>
    /// <param name="targetProbabilities">The target distribution p; overwritten with the residual on rejection.</param>
    /// <param name="draftToken">The draft token x, drawn from q.</param>
    /// <param name="draftProbabilities">The draft distribution q.</param>
    /// <returns><paramref name="draftToken"/> when accepted, else the correction token.</returns>
    /// <remarks>When x was drawn from q the returned token is distributed exactly as p. A draft token with q(x) = 0 is
    /// treated as a point mass (draw from p, accept iff it is x), which keeps the result distributed as p.</remarks>
    /// <exception cref="ArgumentException">A span is not <see cref="VocabularySize"/> long.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="draftToken"/> is outside the vocabulary.</exception>
    public int AcceptOrResample(Span<float> targetProbabilities, int draftToken, ReadOnlySpan<float> draftProbabilities)
    {
        CheckRow(targetProbabilities, nameof(targetProbabilities));
        CheckRow(draftProbabilities, nameof(draftProbabilities));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)draftToken, (uint)_vocabularySize, nameof(draftToken));
        float q = draftProbabilities[draftToken];
        float p = targetProbabilities[draftToken];
        if (!(q > 0))
        {
            return CategoricalDraw.Position(_random, targetProbabilities);
        }

        // r < p/q without a division; r in [0, 1), so p >= q always accepts.
        if (_random.NextDouble() * q < p)
        {
            return draftToken;
        }

        TensorPrimitives.Subtract(targetProbabilities, draftProbabilities, targetProbabilities);
        TensorPrimitives.Max(targetProbabilities, 0f, targetProbabilities);

        // A rejection means p(x) < q(x), so some other token has p > q; an all-zero residual is only rounding.
        return TensorPrimitives.Sum(targetProbabilities) > 0 ? CategoricalDraw.Position(_random, targetProbabilities) : draftToken;
    }

    private static void Scatter(ReadOnlySpan<ulong> keys, ReadOnlySpan<float> weights, bool indexed, Span<float> probabilities)
    {
        double total = 0;
        for (int j = 0; j < keys.Length; j++)
        {
            total += indexed ? weights[SortKey.Token(keys[j])] : weights[j];
        }

        float inverse = (float)(1 / total);
        for (int j = 0; j < keys.Length; j++)
        {
            int token = SortKey.Token(keys[j]);
            probabilities[token] = (indexed ? weights[token] : weights[j]) * inverse;
        }
    }

    private void CheckRow(ReadOnlySpan<float> row, string name)
    {
        if (row.Length != _vocabularySize)
        {
            throw new ArgumentException($"The row has {row.Length} values but the vocabulary has {_vocabularySize} tokens.", name);
        }
    }
}
