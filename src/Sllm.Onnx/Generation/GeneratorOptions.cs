using Sllm.Generation;

namespace Sllm.Onnx;

/// <summary>Options for one <see cref="Generator"/>: its length, batch size, sampling and KV cache layout.</summary>
/// <remarks>Read once when the generator is created; later changes do not affect it. Not thread-safe.</remarks>
public sealed class GeneratorOptions
{
    /// <summary>Gets or sets the total length (prompt plus output) per sequence, or <see langword="null"/> (the default) for
    /// <see cref="OnnxModel.MaxLength"/>. The KV cache is sized by it; it may not exceed <see cref="OnnxModel.ContextLength"/>.</summary>
    public int? MaxLength { get; set; }

    /// <summary>Gets or sets how many sequences run together in each forward pass (1 to 32; default 1).</summary>
    public int BatchSize { get; set; } = 1;

    /// <summary>Gets or sets the sampling settings, or <see langword="null"/> (the default) for the config's <c>search</c> section.</summary>
    public SamplingOptions? Sampling { get; set; }

    /// <summary>Gets the token ids that end a sequence; empty (the default) uses <see cref="OnnxModel.EosTokenIds"/>.</summary>
    public IList<int> EosTokenIds { get; } = [];

    /// <summary>Gets the logits processors run on each row's logits after the built-in penalties, in order.</summary>
    public IList<ILogitsProcessor> LogitsProcessors { get; } = [];

    /// <summary>Gets or sets whether past and present KV share one pre-allocated buffer of <see cref="MaxLength"/> tokens, or
    /// <see langword="null"/> (the default) for <c>search.past_present_share_buffer</c> from the config.</summary>
    /// <remarks>Sharing needs an attention operator that writes new keys in place at each row's length
    /// (<c>GroupQueryAttention</c>); ONNX Runtime GenAI's builder turns it on exactly for those graphs. Without sharing the cache
    /// grows by one copy per step. Models with recurrent state and the combined <c>past_%d</c> layout always grow.</remarks>
    public bool? PastPresentShareBuffer { get; set; }

    /// <summary>Gets or sets the LoRA adapter whose tensors this generator feeds to the model's adapter inputs, or
    /// <see langword="null"/> (the default) for the base model (the graph's rank-0 defaults).</summary>
    /// <remarks>The generator holds a reference to the adapter until it is disposed, so disposing the adapter meanwhile is safe.</remarks>
    public Lora.LoraAdapter? Adapter { get; set; }

    /// <summary>Checks the options that do not depend on a model.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="MaxLength"/> or <see cref="BatchSize"/> is out of range.</exception>
    public void Validate()
    {
        if (MaxLength is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, "MaxLength must be positive.");
        }

        if (BatchSize is < 1 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be between 1 and 32.");
        }

        ArgumentNullException.ThrowIfNull(LogitsProcessors, nameof(LogitsProcessors));
    }
}
