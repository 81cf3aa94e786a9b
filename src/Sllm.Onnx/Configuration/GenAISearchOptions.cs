namespace Sllm.Onnx;

/// <summary>The <c>search</c> section: generation length and sampling settings, with ORT GenAI's defaults.</summary>
/// <remarks>Immutable; safe to share between threads.</remarks>
public sealed class GenAISearchOptions
{
    internal GenAISearchOptions()
    {
    }

    /// <summary>Gets <c>do_sample</c> (default false: greedy).</summary>
    public bool DoSample { get; internal init; }

    /// <summary>Gets <c>min_length</c> (default 0).</summary>
    public int MinLength { get; internal init; }

    /// <summary>
    /// Gets <c>max_length</c>: the total length, prompt included. A missing or 0 value becomes the model's
    /// <c>context_length</c>, as in ORT GenAI.
    /// </summary>
    public int MaxLength { get; internal init; }

    /// <summary>Gets <c>batch_size</c> (default 1).</summary>
    public int BatchSize { get; internal init; } = 1;

    /// <summary>Gets <c>num_beams</c> (default 1).</summary>
    public int NumBeams { get; internal init; } = 1;

    /// <summary>Gets <c>num_return_sequences</c> (default 1).</summary>
    public int NumReturnSequences { get; internal init; } = 1;

    /// <summary>Gets <c>repetition_penalty</c> (default 1: off).</summary>
    public double RepetitionPenalty { get; internal init; } = 1.0;

    /// <summary>Gets <c>top_k</c> (default 50).</summary>
    public int TopK { get; internal init; } = 50;

    /// <summary>Gets <c>top_p</c> (default 1: no nucleus cut).</summary>
    /// <remarks>
    /// ORT GenAI's runtime stores 0 when the key is absent and treats both 0 and 1 as "off"; its model builder writes
    /// 1.0. Sllm reports 1.0 so that the value is always a usable probability threshold.
    /// </remarks>
    public double TopP { get; internal init; } = 1.0;

    /// <summary>Gets <c>temperature</c> (default 1).</summary>
    public double Temperature { get; internal init; } = 1.0;

    /// <summary>Gets <c>early_stopping</c> (default true; beam search only).</summary>
    public bool EarlyStopping { get; internal init; } = true;

    /// <summary>Gets <c>no_repeat_ngram_size</c> (default 0: off).</summary>
    public int NoRepeatNgramSize { get; internal init; }

    /// <summary>Gets <c>diversity_penalty</c> (default 0).</summary>
    public double DiversityPenalty { get; internal init; }

    /// <summary>Gets <c>length_penalty</c> (default 1; beam search only).</summary>
    public double LengthPenalty { get; internal init; } = 1.0;

    /// <summary>
    /// Gets <c>past_present_share_buffer</c> (default false): whether each layer's past and present KV tensors share one
    /// buffer of <see cref="MaxLength"/> positions. ORT GenAI honours it only with one beam.
    /// </summary>
    public bool PastPresentShareBuffer { get; internal init; }

    /// <summary>Gets <c>random_seed</c> (default -1: seed from the system's random source).</summary>
    public int RandomSeed { get; internal init; } = -1;

    /// <summary>Gets <c>chunk_size</c>: the prefill chunk length, or null when not set.</summary>
    public int? ChunkSize { get; internal init; }
}
