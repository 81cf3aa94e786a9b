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
/// reference to the spans it is given.</para>
/// </remarks>
public sealed class TokenSampler
{
    // The nucleus search first collects tokens within ln(64) of the top logit (scaled by temperature), which holds the
    // whole nucleus for typical peaked rows, and widens by the same factor only when it does not.
    private const float NucleusWidening = 64f;

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

        float max = PrepareForSelection(logits);
        return _method switch
        {
            SamplingMethod.Greedy => FirstIndexOf(logits, max),
            SamplingMethod.TopK => SampleTopK(logits, nucleus: false),
            SamplingMethod.TopKTopP => SampleTopK(logits, nucleus: true),
            SamplingMethod.TopP => SampleTopP(logits, max),
            _ => SampleUnrestricted(logits, max),
        };
    }

    /// <summary>Returns the highest logit after turning NaN into a ban and +inf into the largest finite value, so the
    /// softmax below never sees inf - inf.</summary>
    private static float PrepareForSelection(Span<float> logits)
    {
        float max = TensorPrimitives.Max(logits);
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

            max = TensorPrimitives.Max(logits);
        }

        if (float.IsNegativeInfinity(max))
        {
            throw new InvalidOperationException(
                "Every token is banned: all logits are negative infinity or NaN after the penalties and logits processors.");
        }

        return max;
    }

    /// <summary>The first index holding <paramref name="max"/>, which is greedy's "strict &gt; wins" (so -0 ties +0).</summary>
    private static int FirstIndexOf(ReadOnlySpan<float> logits, float max)
    {
        for (int i = 0; i < logits.Length; i++)
        {
            if (logits[i] == max)
            {
                return i;
            }
        }

        return 0;
    }

    private int SampleTopK(ReadOnlySpan<float> logits, bool nucleus)
    {
        Span<ulong> keys = _keys.AsSpan(0, _topK);
        SelectTopK(logits, keys);
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

        keep = CutMinP(weights, keep);
        return SortKey.Token(keys[DrawPosition(weights[..keep])]);
    }

    private int SampleTopP(ReadOnlySpan<float> logits, float max)
    {
        Span<float> weights = _weights;
        ToWeights(logits, max, weights);
        float target = _topP * TensorPrimitives.Sum(weights);
        Span<ulong> keys = CollectNucleus(weights, target);
        keys.Sort();

        int keep = keys.Length;
        float cumulative = 0;
        for (int j = 0; j < keys.Length; j++)
        {
            cumulative += weights[SortKey.Token(keys[j])];
            if (cumulative >= target)
            {
                keep = j + 1;
                break;
            }
        }

        if (_minP > 0)
        {
            while (keep > 1 && weights[SortKey.Token(keys[keep - 1])] < _minP)
            {
                keep--;
            }
        }

        return DrawToken(keys[..keep], weights);
    }

    private int SampleUnrestricted(ReadOnlySpan<float> logits, float max)
    {
        Span<float> weights = _weights;
        ToWeights(logits, max, weights);
        if (_minP > 0)
        {
            for (int i = 0; i < weights.Length; i++)
            {
                if (weights[i] < _minP)
                {
                    weights[i] = 0;
                }
            }
        }

        return DrawPosition(weights);
    }

    /// <summary>Collects every token whose weight is at least a threshold, lowering the threshold until the collected
    /// weight reaches <paramref name="target"/>, so only the candidates (not the vocabulary) are sorted.</summary>
    private Span<ulong> CollectNucleus(ReadOnlySpan<float> weights, float target)
    {
        // Below this threshold the uncollected weight is under (1 - top_p) of the total, so the pass must succeed;
        // a last pass at 0 covers float rounding.
        float floor = (1 - _topP) * (target / _topP) / weights.Length;
        float threshold = 1f / NucleusWidening;
        ulong[] keys = _keys;
        while (true)
        {
            threshold = Math.Max(threshold, floor);
            int count = 0;
            float collected = 0;
            for (int i = 0; i < weights.Length; i++)
            {
                float weight = weights[i];
                if (weight >= threshold)
                {
                    keys[count++] = SortKey.Descending(weight, i);
                    collected += weight;
                }
            }

            if (collected >= target || threshold == 0)
            {
                return keys.AsSpan(0, count);
            }

            threshold = threshold <= floor ? 0 : threshold / NucleusWidening;
            floor = threshold == 0 ? 0 : floor;
        }
    }

    /// <summary>Fills <paramref name="keys"/> with the k highest logits, highest first, lowest id first on a tie (a
    /// bounded max-heap of keys: most logits fail one float comparison against the heap's worst).</summary>
    private static void SelectTopK(ReadOnlySpan<float> logits, Span<ulong> keys)
    {
        int k = keys.Length;
        for (int i = 0; i < k; i++)
        {
            keys[i] = SortKey.Descending(logits[i], i);
        }

        for (int i = (k / 2) - 1; i >= 0; i--)
        {
            SiftDown(keys, i);
        }

        float worst = logits[SortKey.Token(keys[0])];
        for (int i = k; i < logits.Length; i++)
        {
            float value = logits[i];
            if (value < worst)
            {
                continue;
            }

            ulong key = SortKey.Descending(value, i);
            if (key < keys[0])
            {
                keys[0] = key;
                SiftDown(keys, 0);
                worst = logits[SortKey.Token(keys[0])];
            }
        }

        keys.Sort();
    }

    private static void SiftDown(Span<ulong> heap, int index)
    {
        ulong item = heap[index];
        while (true)
        {
            int child = (2 * index) + 1;
            if (child >= heap.Length)
            {
                break;
            }

            if (child + 1 < heap.Length && heap[child + 1] > heap[child])
            {
                child++;
            }

            if (heap[child] <= item)
            {
                break;
            }

            heap[index] = heap[child];
            index = child;
        }

        heap[index] = item;
    }

    /// <summary>exp((logit - max) / temperature): the unnormalized softmax, whose highest weight is exactly 1.</summary>
    private void ToWeights(ReadOnlySpan<float> logits, float max, Span<float> destination)
    {
        TensorPrimitives.Subtract(logits, max, destination);
        TensorPrimitives.Multiply(destination, _inverseTemperature, destination);
        TensorPrimitives.Exp(destination, destination);
    }

    private void ToWeights(Span<float> logits, float max) => ToWeights(logits, max, logits);

    /// <summary>Drops the tail of descending <paramref name="weights"/> below min-p: weight / top weight is the
    /// probability ratio, and the top weight is 1.</summary>
    private int CutMinP(ReadOnlySpan<float> weights, int keep)
    {
        if (_minP > 0)
        {
            while (keep > 1 && weights[keep - 1] < _minP)
            {
                keep--;
            }
        }

        return keep;
    }

    /// <summary>Draws a position like <c>std::discrete_distribution</c>: a uniform double times the total weight,
    /// walked through the cumulative weights; zero weights are never chosen.</summary>
    private int DrawPosition(ReadOnlySpan<float> weights)
    {
        double total = 0;
        foreach (float weight in weights)
        {
            total += weight;
        }

        double target = _random.NextDouble() * total;
        double cumulative = 0;
        int last = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            float weight = weights[i];
            if (weight > 0)
            {
                cumulative += weight;
                last = i;
                if (cumulative > target)
                {
                    return i;
                }
            }
        }

        return last;
    }

    /// <summary><see cref="DrawPosition"/> over the tokens of <paramref name="keys"/>, weighted by their entry in
    /// <paramref name="weights"/>.</summary>
    private int DrawToken(ReadOnlySpan<ulong> keys, ReadOnlySpan<float> weights)
    {
        double total = 0;
        foreach (ulong key in keys)
        {
            total += weights[SortKey.Token(key)];
        }

        double target = _random.NextDouble() * total;
        double cumulative = 0;
        int last = SortKey.Token(keys[0]);
        foreach (ulong key in keys)
        {
            int token = SortKey.Token(key);
            float weight = weights[token];
            if (weight > 0)
            {
                cumulative += weight;
                last = token;
                if (cumulative > target)
                {
                    return token;
                }
            }
        }

        return last;
    }
}
