using System.Numerics.Tensors;

namespace Sllm.Generation;

/// <summary>
/// Chooses the next token from one row of logits with ONNX Runtime GenAI's CPU semantics: the built-in penalties, the
/// caller's <see cref="ILogitsProcessor"/>s, then greedy, top-k, top-p or top-k-then-top-p selection (with min-p) and a
/// <c>std::mt19937</c> draw.
/// </summary>
/// <remarks>
/// <para>Not thread-safe: create one instance per generator. It owns the random state, so the rows of a batch are sampled
/// in row order with one shared generator, and a fixed <see cref="SamplingOptions.Seed"/> with the same calls gives the
/// same tokens. The exact tokens drawn differ from ONNX Runtime GenAI's for the same seed (its draw walks a differently
/// ordered distribution); the distributions are the same.</para>
/// <para>Every buffer is allocated by the constructor; <see cref="Sample"/> does not allocate. The sampler keeps no
/// reference to the spans it is given; it copies the options and the list of processors, and holds (but does not own
/// or dispose) the processors for its lifetime.</para>
/// </remarks>
public sealed partial class TokenSampler
{
    private readonly int _vocabularySize;
    private readonly SamplingMethod _method;
    private readonly int _topK;
    private readonly float _topP;
    private readonly float _minP;
    private readonly float _inverseTemperature;
    private readonly LogitsPenalties _penalties;
    private readonly ILogitsProcessor[] _processors;
    private readonly MersenneTwister _random;
    private readonly float[] _weights;
    private readonly ulong[] _keys;

    /// <summary>Initializes a new instance of the <see cref="TokenSampler"/> class and allocates all of its scratch.</summary>
    /// <param name="options">The sampling settings; copied, so later changes do not affect this sampler.</param>
    /// <param name="vocabularySize">The number of logits per row.</param>
    /// <param name="eosTokenIds">The end-of-sequence token ids banned while the sequence is shorter than
    /// <see cref="SamplingOptions.MinLength"/>.</param>
    /// <param name="processors">The logits processors, called in this order on every row; <see langword="null"/> for
    /// none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="eosTokenIds"/> is
    /// <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (see
    /// <see cref="SamplingOptions.Validate"/>) or an end-of-sequence id is outside the vocabulary.</exception>
    /// <exception cref="ArgumentException"><paramref name="processors"/> contains <see langword="null"/>.</exception>
    public TokenSampler(
        SamplingOptions options,
        int vocabularySize,
        IReadOnlyList<int> eosTokenIds,
        IReadOnlyList<ILogitsProcessor>? processors = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(eosTokenIds);
        options.Validate(vocabularySize);
        options = options.Clone();

        int[] eos = new int[eosTokenIds.Count];
        for (int i = 0; i < eos.Length; i++)
        {
            eos[i] = eosTokenIds[i];
            if ((uint)eos[i] >= (uint)vocabularySize)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(eosTokenIds),
                    eos[i],
                    $"End-of-sequence token id {eos[i]} is outside the vocabulary of {vocabularySize} tokens.");
            }
        }

        _processors = processors is null ? [] : new ILogitsProcessor[processors.Count];
        for (int i = 0; i < _processors.Length; i++)
        {
            _processors[i] = processors![i] ?? throw new ArgumentException(
                $"Logits processor {i} is null.", nameof(processors));
        }

        _vocabularySize = vocabularySize;
        _method = options.ResolveMethod();
        _topK = options.TopK;
        _topP = options.TopP;
        _minP = options.MinP;
        _inverseTemperature = 1f / options.Temperature;
        _penalties = new LogitsPenalties(options, vocabularySize, eos);
        _random = options.Seed is int seed ? new MersenneTwister(unchecked((uint)seed)) : MersenneTwister.FromRandomSource();
        (_weights, _keys) = _method switch
        {
            SamplingMethod.TopK or SamplingMethod.TopKTopP => (new float[_topK], new ulong[_topK]),
            SamplingMethod.TopP => (new float[vocabularySize], new ulong[vocabularySize]),
            SamplingMethod.Unrestricted => (new float[vocabularySize], Array.Empty<ulong>()),
            _ => (Array.Empty<float>(), Array.Empty<ulong>()),
        };
    }

    /// <summary>Gets the number of logits per row.</summary>
    public int VocabularySize => _vocabularySize;

    /// <summary>Processes one row of logits in place and chooses its next token.</summary>
    /// <param name="sequence">The row's tokens so far: the prompt followed by the generated tokens.</param>
    /// <param name="promptLength">How many leading tokens of <paramref name="sequence"/> are the prompt (frequency and
    /// presence penalties count only the tokens after it).</param>
    /// <param name="logits">The row's logits. On return they hold the penalised and processed logits, with NaN
    /// replaced by negative infinity and positive infinity by <see cref="float.MaxValue"/>; temperature, top-k, top-p
    /// and min-p work on scratch buffers and are not written back.</param>
    /// <returns>The chosen token id.</returns>
    /// <exception cref="ArgumentException"><paramref name="logits"/> is not <see cref="VocabularySize"/> long.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="promptLength"/> is negative or longer than
    /// <paramref name="sequence"/>.</exception>
    /// <exception cref="InvalidOperationException">Every logit is negative infinity or NaN after the penalties and
    /// processors.</exception>
    public int Sample(ReadOnlySpan<int> sequence, int promptLength, Span<float> logits)
    {
        int best = ProcessRow(sequence, promptLength, logits);
        return _method switch
        {
            SamplingMethod.Greedy => best,
            SamplingMethod.TopK => SampleTopK(logits, nucleus: false),
            SamplingMethod.TopKTopP => SampleTopK(logits, nucleus: true),
            SamplingMethod.TopP => SampleTopP(logits, best),
            _ => SampleUnrestricted(logits, best),
        };
    }

    /// <summary>Checks the arguments, applies the penalties and processors in place and returns the greedy token.</summary>
    private int ProcessRow(ReadOnlySpan<int> sequence, int promptLength, Span<float> logits)
    {
        if (logits.Length != _vocabularySize)
        {
            throw new ArgumentException(
                $"The row has {logits.Length} logits but the vocabulary has {_vocabularySize} tokens.", nameof(logits));
        }

        if ((uint)promptLength > (uint)sequence.Length)
        {
            throw new ArgumentOutOfRangeException(
                nameof(promptLength), promptLength, $"The prompt length must be between 0 and the sequence length ({sequence.Length}).");
        }

        _penalties.Apply(sequence, promptLength, logits);
        foreach (ILogitsProcessor processor in _processors)
        {
            processor.Process(sequence, promptLength, logits);
        }

        return IndexOfFirstMax(logits);
    }

    /// <summary>Returns the first index of the highest logit (greedy's "strict &gt; wins") after turning NaN into a
    /// ban and +inf into the largest finite value, so the softmax never sees inf - inf.</summary>
    private static int IndexOfFirstMax(Span<float> logits)
    {
        int best = TensorPrimitives.IndexOfMax<float>(logits);
        float max = logits[best];
        if (float.IsNaN(max) || float.IsPositiveInfinity(max))
        {
            for (int i = 0; i < logits.Length; i++)
            {
                float value = logits[i];
                if (float.IsNaN(value))
                {
                    logits[i] = float.NegativeInfinity;
                }
                else if (float.IsPositiveInfinity(value))
                {
                    logits[i] = float.MaxValue;
                }
            }

            best = TensorPrimitives.IndexOfMax<float>(logits);
            max = logits[best];
        }

        if (float.IsNegativeInfinity(max))
        {
            throw new InvalidOperationException(
                "Every token is banned: all logits are negative infinity or NaN after the penalties and logits processors.");
        }

        // IndexOfMax ranks +0 above -0; a strict > comparison sees them equal, so the first zero of either sign wins.
        if (max == 0)
        {
            best = logits.IndexOfAny(0f, -0f);
        }

        return best;
    }

    private int SampleTopK(ReadOnlySpan<float> logits, bool nucleus)
    {
        int keep = SelectTopK(logits, nucleus);
        return SortKey.Token(_keys[CategoricalDraw.Position(_random, _weights.AsSpan(0, keep))]);
    }

    /// <summary>Fills the top-k keys and their weights (descending) and returns how many survive top-p and min-p.</summary>
    private int SelectTopK(ReadOnlySpan<float> logits, bool nucleus)
    {
        Span<ulong> keys = _keys.AsSpan(0, _topK);
        TopKSelector.Select(logits, keys);
        Span<float> weights = _weights.AsSpan(0, _topK);
        for (int j = 0; j < weights.Length; j++)
        {
            weights[j] = logits[SortKey.Token(keys[j])];
        }

        ToWeights(weights, weights[0]);
        int keep = weights.Length;
        if (nucleus)
        {
            // ONNX Runtime GenAI normalizes in float and keeps up to and including the first index reaching top_p.
            float inverseSum = 1f / TensorPrimitives.Sum(weights);
            float cumulative = 0;
            for (int j = 0; j < weights.Length; j++)
            {
                cumulative += weights[j] * inverseSum;
                if (cumulative >= _topP)
                {
                    keep = j + 1;
                    break;
                }
            }
        }

        return CutMinP(weights, keep);
    }

    private int SampleTopP(ReadOnlySpan<float> logits, int best)
    {
        int kept = SelectTopP(logits, best);
        return CategoricalDraw.Token(_random, _keys.AsSpan(0, kept), _weights);
    }

    /// <summary>Writes every token's weight to the weights buffer and the nucleus (after min-p) to the first keys; returns
    /// how many keys are kept.</summary>
    private int SelectTopP(ReadOnlySpan<float> logits, int best)
    {
        Span<float> weights = _weights;
        ToWeights(logits, logits[best], weights);
        Span<ulong> keys = _keys.AsSpan(0, NucleusSelector.Select(weights, TensorPrimitives.Sum(weights), _topP, _keys));
        if (_minP > 0)
        {
            // The nucleus is unordered; the top token is always in it and always passes.
            float threshold = _minP * weights[best];
            int kept = 0;
            foreach (ulong key in keys)
            {
                if (weights[SortKey.Token(key)] >= threshold)
                {
                    keys[kept++] = key;
                }
            }

            keys = keys[..kept];
        }

        return keys.Length;
    }

    private int SampleUnrestricted(ReadOnlySpan<float> logits, int best)
    {
        SelectUnrestricted(logits, best);
        return CategoricalDraw.Position(_random, _weights);
    }

    private void SelectUnrestricted(ReadOnlySpan<float> logits, int best)
    {
        Span<float> weights = _weights;
        ToWeights(logits, logits[best], weights);
        if (_minP > 0)
        {
            float threshold = _minP * weights[best];
            for (int i = 0; i < weights.Length; i++)
            {
                if (weights[i] < threshold)
                {
                    weights[i] = 0;
                }
            }
        }
    }

    /// <summary>exp((logit - max) / temperature): the unnormalized softmax, whose highest weight is 1 (up to the
    /// vectorized exp's rounding).</summary>
    private void ToWeights(ReadOnlySpan<float> logits, float max, Span<float> destination)
    {
        TensorPrimitives.Subtract(logits, max, destination);
        TensorPrimitives.Multiply(destination, _inverseTemperature, destination);
        TensorPrimitives.Exp(destination, destination);
    }

    private void ToWeights(Span<float> values, float max) => ToWeights(values, max, values);

    /// <summary>Drops the tail of descending <paramref name="weights"/> below min-p: a weight over the top weight is
    /// the probability ratio Hugging Face compares with min_p.</summary>
    private int CutMinP(ReadOnlySpan<float> weights, int keep)
    {
        if (_minP > 0)
        {
            float threshold = _minP * weights[0];
            while (keep > 1 && weights[keep - 1] < threshold)
            {
                keep--;
            }
        }

        return keep;
    }
}
