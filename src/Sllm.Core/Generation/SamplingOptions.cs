using System.Globalization;

namespace Sllm.Generation;

/// <summary>
/// How the next token is chosen from a row of logits: greedy or sampled, with ONNX Runtime GenAI's temperature, top-k,
/// top-p, repetition penalty, no-repeat n-gram and minimum length, plus min-p and OpenAI-style frequency and presence
/// penalties.
/// </summary>
/// <remarks>
/// <para>The method is chosen as ONNX Runtime GenAI chooses it: greedy when <see cref="DoSample"/> is
/// <see langword="false"/>, <see cref="TopK"/> is 1 or <see cref="Temperature"/> is 0; otherwise top-k then top-p when
/// <see cref="TopK"/> &gt; 1 and 0 &lt; <see cref="TopP"/> &lt; 1; top-k alone when <see cref="TopK"/> &gt; 1; otherwise
/// top-p over the whole vocabulary (with <see cref="TopP"/> off, plain sampling from the whole vocabulary).</para>
/// <para><see cref="TokenSampler"/> copies the options when it is created, so changing an instance later affects only
/// samplers created afterwards. Not thread-safe while being changed.</para>
/// </remarks>
public sealed class SamplingOptions
{
    /// <summary>Gets or sets a value indicating whether the token is drawn at random; when <see langword="false"/> the
    /// highest logit wins (the first one on a tie).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool DoSample { get; set; }

    /// <summary>Gets or sets the divisor of the logits before the softmax: below 1 sharpens, above 1 flattens; 0 means
    /// greedy.</summary>
    /// <value>The default is 1.0. Must be finite and not negative.</value>
    public float Temperature { get; set; } = 1.0f;

    /// <summary>Gets or sets how many of the highest logits are kept; 1 means greedy; 0 means no limit (top-p, or plain
    /// sampling over the whole vocabulary).</summary>
    /// <value>The default is 50. When sampling, must be 0 or more and at most the vocabulary size (as in ONNX Runtime
    /// GenAI, it is not checked for greedy settings).</value>
    public int TopK { get; set; } = 50;

    /// <summary>Gets or sets the nucleus: the smallest set of most probable tokens whose cumulative probability reaches
    /// this value is kept. 0, and any value of 1 or more, turn it off.</summary>
    /// <value>The default is 0 (off). Must not be negative or NaN.</value>
    public float TopP { get; set; }

    /// <summary>Gets or sets the min-p cut: when sampling, tokens whose probability (after temperature) is below
    /// <c>MinP</c> times the highest probability are dropped, as in Hugging Face's <c>MinPLogitsWarper</c>; 0 turns
    /// it off.</summary>
    /// <value>The default is 0 (off). Must be between 0 and 1.</value>
    public float MinP { get; set; }

    /// <summary>Gets or sets the repetition penalty applied once to every distinct token already in the sequence
    /// (prompt included): a positive logit is divided by it, a negative one multiplied; 1 turns it off.</summary>
    /// <value>The default is 1.0. Must be positive and finite.</value>
    public float RepetitionPenalty { get; set; } = 1.0f;

    /// <summary>Gets or sets the OpenAI frequency penalty: each logit loses this much per time its token was
    /// generated (prompt tokens do not count); 0 turns it off.</summary>
    /// <value>The default is 0. Must be finite.</value>
    public float FrequencyPenalty { get; set; }

    /// <summary>Gets or sets the OpenAI presence penalty: each logit whose token was generated at least once (prompt
    /// tokens do not count) loses this much; 0 turns it off.</summary>
    /// <value>The default is 0. Must be finite.</value>
    public float PresencePenalty { get; set; }

    /// <summary>Gets or sets the n-gram size that may not repeat: every token that would complete an n-gram already in
    /// the sequence (prompt included) is banned; 0 turns it off.</summary>
    /// <value>The default is 0. Must not be negative.</value>
    public int NoRepeatNgramSize { get; set; }

    /// <summary>Gets or sets the sequence length (prompt included, as in ONNX Runtime GenAI) below which end-of-sequence
    /// tokens are banned.</summary>
    /// <value>The default is 0. Must not be negative.</value>
    public int MinLength { get; set; }

    /// <summary>Gets or sets the seed of the sampler's Mersenne Twister (<c>std::mt19937</c>); <see langword="null"/>
    /// seeds it from a cryptographic random source.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public int? Seed { get; set; }

    /// <summary>Checks every setting against its range and against the vocabulary size.</summary>
    /// <param name="vocabularySize">The number of logits per row.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting, or <paramref name="vocabularySize"/>, is out of range;
    /// the exception's parameter name is the property's name.</exception>
    public void Validate(int vocabularySize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabularySize);
        if (!float.IsFinite(Temperature) || Temperature < 0)
        {
            throw OutOfRange(nameof(Temperature), Temperature, "must be finite and not negative");
        }

        // Like ONNX Runtime GenAI, top-k is only checked when it is used: greedy settings keep the default of 50 valid
        // for any vocabulary.
        if (ResolveMethod() != SamplingMethod.Greedy)
        {
            if (TopK < 0)
            {
                throw OutOfRange(nameof(TopK), TopK, "must be 0 or greater when sampling (0 means no limit)");
            }

            if (TopK > vocabularySize)
            {
                throw OutOfRange(
                    nameof(TopK), TopK, string.Create(CultureInfo.InvariantCulture, $"exceeds the vocabulary size ({vocabularySize})"));
            }
        }

        if (float.IsNaN(TopP) || TopP < 0)
        {
            throw OutOfRange(nameof(TopP), TopP, "must not be negative or NaN (0 or 1 and above turn it off)");
        }

        if (!(MinP >= 0 && MinP <= 1))
        {
            throw OutOfRange(nameof(MinP), MinP, "must be between 0 and 1");
        }

        if (!float.IsFinite(RepetitionPenalty) || RepetitionPenalty <= 0)
        {
            throw OutOfRange(nameof(RepetitionPenalty), RepetitionPenalty, "must be positive and finite (1 turns it off)");
        }

        if (!float.IsFinite(FrequencyPenalty))
        {
            throw OutOfRange(nameof(FrequencyPenalty), FrequencyPenalty, "must be finite");
        }

        if (!float.IsFinite(PresencePenalty))
        {
            throw OutOfRange(nameof(PresencePenalty), PresencePenalty, "must be finite");
        }

        if (NoRepeatNgramSize < 0)
        {
            throw OutOfRange(nameof(NoRepeatNgramSize), NoRepeatNgramSize, "must not be negative");
        }

        if (MinLength < 0)
        {
            throw OutOfRange(nameof(MinLength), MinLength, "must not be negative");
        }
    }

    /// <summary>Creates an independent copy of these options.</summary>
    /// <returns>A new instance with the same settings.</returns>
    public SamplingOptions Clone() => new()
    {
        DoSample = DoSample,
        Temperature = Temperature,
        TopK = TopK,
        TopP = TopP,
        MinP = MinP,
        RepetitionPenalty = RepetitionPenalty,
        FrequencyPenalty = FrequencyPenalty,
        PresencePenalty = PresencePenalty,
        NoRepeatNgramSize = NoRepeatNgramSize,
        MinLength = MinLength,
        Seed = Seed,
    };

    /// <summary>Resolves the method exactly as ONNX Runtime GenAI's <c>Generator</c> does.</summary>
    internal SamplingMethod ResolveMethod()
    {
        if (!DoSample || TopK == 1 || Temperature == 0)
        {
            return SamplingMethod.Greedy;
        }

        bool nucleus = TopP > 0 && TopP < 1;
        if (nucleus && TopK > 1)
        {
            return SamplingMethod.TopKTopP;
        }

        if (TopK > 1)
        {
            return SamplingMethod.TopK;
        }

        return nucleus ? SamplingMethod.TopP : SamplingMethod.Unrestricted;
    }

    private static ArgumentOutOfRangeException OutOfRange(string name, object value, string rule) =>
        new(name, value, string.Create(CultureInfo.InvariantCulture, $"{name} ({value}) {rule}."));
}
