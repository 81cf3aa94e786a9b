namespace Sllm.Generation;

/// <summary>
/// The built-in logit penalties, in ONNX Runtime GenAI's order (minimum length, repetition, no-repeat n-gram) followed by
/// the OpenAI frequency and presence penalties.
/// </summary>
/// <remarks>
/// Not thread-safe; owned by one <see cref="TokenSampler"/>. Token ids outside the vocabulary are skipped, as ONNX Runtime
/// GenAI skips them. Distinct tokens are found with a stamp per vocabulary entry and a call counter, so each call costs
/// time in the sequence length only and never clears a vocabulary-sized table.
/// </remarks>
internal sealed class LogitsPenalties
{
    private readonly int[] _eosTokenIds;
    private readonly int _minLength;
    private readonly float _repetitionPenalty;
    private readonly int _noRepeatNgramSize;
    private readonly float _frequencyPenalty;
    private readonly float _presencePenalty;
    private readonly int[] _stamps;
    private readonly int[] _counts;
    private readonly int[] _distinct;
    private int _generation;

    public LogitsPenalties(SamplingOptions options, int vocabularySize, int[] eosTokenIds)
    {
        _eosTokenIds = eosTokenIds;
        _minLength = options.MinLength;
        _repetitionPenalty = options.RepetitionPenalty;
        _noRepeatNgramSize = options.NoRepeatNgramSize;
        _frequencyPenalty = options.FrequencyPenalty;
        _presencePenalty = options.PresencePenalty;
        bool counts = _frequencyPenalty != 0 || _presencePenalty != 0;
        _stamps = counts || _repetitionPenalty != 1 ? new int[vocabularySize] : [];
        _counts = counts ? new int[vocabularySize] : [];
        _distinct = counts ? new int[vocabularySize] : [];
    }

    public void Apply(ReadOnlySpan<int> sequence, int promptLength, Span<float> logits)
    {
        // ONNX Runtime GenAI uses float's lowest finite value, not -inf, for both bans; keep it so logits compare equal.
        if (sequence.Length < _minLength)
        {
            foreach (int eos in _eosTokenIds)
            {
                logits[eos] = float.MinValue;
            }
        }

        if (_repetitionPenalty != 1)
        {
            ApplyRepetitionPenalty(sequence, logits);
        }

        if (_noRepeatNgramSize > 0)
        {
            ApplyNoRepeatNgram(sequence, logits);
        }

        if (_frequencyPenalty != 0 || _presencePenalty != 0)
        {
            ApplyFrequencyAndPresence(sequence[promptLength..], logits);
        }
    }

    private void ApplyRepetitionPenalty(ReadOnlySpan<int> sequence, Span<float> logits)
    {
        int generation = NextGeneration();
        int[] stamps = _stamps;
        float penalty = _repetitionPenalty;
        foreach (int token in sequence)
        {
            if ((uint)token >= (uint)logits.Length || stamps[token] == generation)
            {
                continue;
            }

            stamps[token] = generation;
            float score = logits[token];
            logits[token] = score < 0 ? score * penalty : score / penalty;
        }
    }

    private void ApplyNoRepeatNgram(ReadOnlySpan<int> sequence, Span<float> logits)
    {
        int size = _noRepeatNgramSize;
        if (sequence.Length < size)
        {
            return;
        }

        int prefixLength = size - 1;
        ReadOnlySpan<int> target = sequence[(sequence.Length - prefixLength)..];
        int lastStart = sequence.Length - size;
        for (int start = 0; start <= lastStart; start++)
        {
            if (sequence.Slice(start, prefixLength).SequenceEqual(target))
            {
                int banned = sequence[start + prefixLength];
                if ((uint)banned < (uint)logits.Length)
                {
                    logits[banned] = float.MinValue;
                }
            }
        }
    }

    private void ApplyFrequencyAndPresence(ReadOnlySpan<int> generated, Span<float> logits)
    {
        int generation = NextGeneration();
        int[] stamps = _stamps;
        int[] counts = _counts;
        int distinct = 0;
        foreach (int token in generated)
        {
            if ((uint)token >= (uint)logits.Length)
            {
                continue;
            }

            if (stamps[token] != generation)
            {
                stamps[token] = generation;
                counts[token] = 0;
                _distinct[distinct++] = token;
            }

            counts[token]++;
        }

        for (int i = 0; i < distinct; i++)
        {
            int token = _distinct[i];
            logits[token] -= (_frequencyPenalty * counts[token]) + _presencePenalty;
        }
    }

    private int NextGeneration()
    {
        // A wrapped counter could collide with an old stamp; clearing once every 2^31 calls keeps stamps unambiguous.
        if (_generation == int.MaxValue)
        {
            Array.Clear(_stamps);
            _generation = 0;
        }

        return ++_generation;
    }
}
