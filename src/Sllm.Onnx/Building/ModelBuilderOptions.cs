namespace Sllm.Onnx.Building;

/// <summary>
/// The shape, precision, weights and tokenizer of a model <see cref="OnnxModelBuilder"/> writes. The defaults are a
/// tiny Llama (2 layers, 64 wide) that builds in milliseconds; <see cref="Tiny"/> and <see cref="Qwen25HalfBShape"/>
/// are presets.
/// </summary>
/// <remarks>
/// Plain data: set the properties, then pass the options to <see cref="OnnxModelBuilder.BuildAsync"/>, which validates
/// them and reads them once. Not thread-safe while being changed. The options do not own <see cref="WeightSource"/>.
/// </remarks>
public sealed class ModelBuilderOptions
{
    /// <summary>Gets or sets the model family, written as <c>model.type</c>.</summary>
    /// <value>The default is <see cref="ModelFamily.Llama"/>.</value>
    public ModelFamily Family { get; set; } = ModelFamily.Llama;

    /// <summary>Gets or sets the width of the residual stream (<c>hidden_size</c>).</summary>
    /// <value>The default is 64; positive.</value>
    public int HiddenSize { get; set; } = 64;

    /// <summary>Gets or sets the number of decoder layers (<c>num_hidden_layers</c>).</summary>
    /// <value>The default is 2; positive.</value>
    public int NumLayers { get; set; } = 2;

    /// <summary>Gets or sets the number of query heads (<c>num_attention_heads</c>).</summary>
    /// <value>The default is 4; positive and a multiple of <see cref="NumKeyValueHeads"/>.</value>
    public int NumAttentionHeads { get; set; } = 4;

    /// <summary>Gets or sets the number of key/value heads (<c>num_key_value_heads</c>); fewer than the query heads is grouped-query attention.</summary>
    /// <value>The default is 2; positive.</value>
    public int NumKeyValueHeads { get; set; } = 2;

    /// <summary>Gets or sets the size of one attention head; <see langword="null"/> means <see cref="HiddenSize"/> / <see cref="NumAttentionHeads"/>.</summary>
    /// <value>
    /// The default is <see langword="null"/>; the value in effect must be a multiple of 16, which ONNX Runtime's CPU
    /// <c>GroupQueryAttention</c> kernel requires.
    /// </value>
    public int? HeadSize { get; set; }

    /// <summary>Gets or sets the width of the SwiGLU MLP (<c>intermediate_size</c>).</summary>
    /// <value>The default is 128; positive.</value>
    public int IntermediateSize { get; set; } = 128;

    /// <summary>
    /// Gets or sets the number of rows of the embedding and output matrices; <see langword="null"/> means the
    /// tokenizer's vocabulary rounded up to a multiple of 64.
    /// </summary>
    /// <value>The default is <see langword="null"/>; when set, at least the tokenizer's vocabulary size.</value>
    public int? VocabSize { get; set; }

    /// <summary>Gets or sets the longest sequence (<c>context_length</c>, also <c>search.max_length</c> and the rotary cache length).</summary>
    /// <value>The default is 256; positive.</value>
    public int ContextLength { get; set; } = 256;

    /// <summary>Gets or sets the rotary embedding base (<c>rope_theta</c>).</summary>
    /// <value>The default is 10,000; positive and finite.</value>
    public double RopeTheta { get; set; } = 10_000;

    /// <summary>Gets or sets the RMSNorm epsilon (<c>rms_norm_eps</c>).</summary>
    /// <value>The default is 1e-6; positive and finite.</value>
    public double RmsNormEpsilon { get; set; } = 1e-6;

    /// <summary>Gets or sets the floating-point type of weights, activations, KV cache and logits.</summary>
    /// <value>The default is <see cref="ModelPrecision.Float32"/>.</value>
    public ModelPrecision Precision { get; set; } = ModelPrecision.Float32;

    /// <summary>
    /// Gets or sets weight-only quantization of the MatMul weights (<c>com.microsoft.MatMulNBits</c>, int4 or int8);
    /// <see langword="null"/> keeps them in <see cref="Precision"/>. Norms, biases and the embedding table stay in
    /// <see cref="Precision"/>, as ORT GenAI's int4 CPU export leaves them; a quantized tied head gets its own float embedding table.
    /// </summary>
    /// <value>The default is <see langword="null"/>; validated with the rest.</value>
    public Quantization.QuantizationOptions? Quantization { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the output projection reuses the embedding table, as ORT GenAI writes
    /// it: one <c>lm_head.MatMul.weight</c> initializer, transposed for the embedding <c>Gather</c>.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool TieWordEmbeddings { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether rotary embeddings run inside <c>GroupQueryAttention</c>
    /// (<c>do_rotary=1</c>, packed QKV, no <c>position_ids</c> input), as ORT GenAI writes CPU models. When
    /// <see langword="false"/>, the graph takes <c>position_ids</c> and applies <c>RotaryEmbedding</c> to separate Q and
    /// K projections first, as ORT GenAI writes DirectML models.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool FuseRotary { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether the Q, K and V projections have biases; <see langword="null"/> means the family's default (Qwen2 only).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public bool? AttentionBias { get; set; }

    /// <summary>
    /// Gets or sets the attention window, Hugging Face's <c>sliding_window</c>: each query sees the last this-many
    /// positions, itself included. Written as <c>GroupQueryAttention</c>'s <c>local_window_size</c>, as ORT GenAI
    /// does; <see langword="null"/> is full causal attention (<c>-1</c>).
    /// </summary>
    /// <value>The default is <see langword="null"/>; when set, positive.</value>
    public int? SlidingWindow { get; set; }

    /// <summary>
    /// Gets or sets the projections that take LoRA adapter inputs, written the way Olive's <c>ExtractAdapters</c> pass
    /// exports them: per targeted projection, graph inputs <c>model.layers.{i}.self_attn.q_proj.lora_A.weight</c>
    /// [in, lora_r] and <c>….lora_B.weight</c> [lora_r, out] whose default initializers have rank 0, computing
    /// x·W + (x·A)·B. With no adapter the graph is the base model; an adapter feeds its own rank. See docs/lora.md.
    /// </summary>
    /// <value>The default is <see cref="LoraTargetModules.None"/>. <see cref="LoraTargetModules.Attention"/> is the usual PEFT
    /// choice. With packed QKV (<see cref="FuseRotary"/>) targeting any of q, k or v gives all three inputs.</value>
    public LoraTargetModules LoraTargets { get; set; }

    /// <summary>Gets or sets the seed of the default weights; each tensor's noise depends only on the seed and its name.</summary>
    /// <value>The default is 0.</value>
    public long Seed { get; set; }

    /// <summary>Gets or sets the standard deviation of the default (uniform) weight noise.</summary>
    /// <value>The default is 0.02, the usual initializer range of Hugging Face configs; zero or more and finite.</value>
    public float WeightInitScale { get; set; } = 0.02f;

    /// <summary>Gets or sets the caller's weights; tensors it declines (and all, when <see langword="null"/>) get the seeded default.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public IModelWeightSource? WeightSource { get; set; }

    /// <summary>
    /// Gets or sets a folder whose tokenizer files (<c>tokenizer.json</c>, <c>tokenizer_config.json</c>, ...) are
    /// copied into the model folder; <see langword="null"/> writes the embedded 584-token byte-level BPE demo tokenizer
    /// with its ChatML template.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? TokenizerDirectory { get; set; }

    /// <summary>Gets the head size in effect: <see cref="HeadSize"/>, or <see cref="HiddenSize"/> / <see cref="NumAttentionHeads"/>.</summary>
    public int EffectiveHeadSize => HeadSize ?? (NumAttentionHeads > 0 ? HiddenSize / NumAttentionHeads : 0);

    /// <summary>Gets a value indicating whether the Q/K/V projections have biases: <see cref="AttentionBias"/>, or true for Qwen2.</summary>
    public bool EffectiveAttentionBias => AttentionBias ?? Family == ModelFamily.Qwen2;

    /// <summary>Returns a tiny model of a family (2 layers, hidden 64, 4 heads, 2 KV heads, head 16, MLP 128, context 256).</summary>
    /// <param name="family">The family; Qwen2 also gets tied embeddings and rope base 1e6, as Qwen2.5's small models have.</param>
    /// <returns>New options; change them freely.</returns>
    public static ModelBuilderOptions Tiny(ModelFamily family = ModelFamily.Llama) => new()
    {
        Family = family,
        TieWordEmbeddings = family == ModelFamily.Qwen2,
        RopeTheta = family == ModelFamily.Qwen2 ? 1_000_000 : 10_000,
    };

    /// <summary>
    /// Returns Qwen2.5-0.5B's shape: 24 layers, hidden 896, 14 heads, 2 KV heads, head 64, MLP 4864, vocabulary
    /// 151,936, tied embeddings, Q/K/V biases (the Qwen2 family's default), rope base 1e6, RMSNorm epsilon 1e-6, context 32,768 (494 M parameters,
    /// about 2 GB in float32).
    /// </summary>
    /// <returns>New options with random weights; set <see cref="WeightSource"/> for real ones.</returns>
    public static ModelBuilderOptions Qwen25HalfBShape() => new()
    {
        Family = ModelFamily.Qwen2,
        HiddenSize = 896,
        NumLayers = 24,
        NumAttentionHeads = 14,
        NumKeyValueHeads = 2,
        HeadSize = 64,
        IntermediateSize = 4864,
        VocabSize = 151_936,
        ContextLength = 32_768,
        RopeTheta = 1_000_000,
        RmsNormEpsilon = 1e-6,
        TieWordEmbeddings = true,
    };

    /// <summary>
    /// Returns a model hand-wired to copy from its context: an induction circuit in its first two layers predicts the
    /// token that followed the most recent earlier occurrence of the last three tokens (else two, else one). Llama
    /// family, 6 layers, hidden 512, 8 heads, 2 KV heads, head 64, MLP 1536, context 2,048 (19 M parameters, 76 MB in
    /// float32); the remaining weights are faint noise, so every layer costs what a trained one of this shape costs.
    /// </summary>
    /// <remarks>Where a random-weight model's output ignores its prompt, this one repeats spans of it, as a trained model
    /// quoting a document does: a download-free target for prompt lookup, retrieval-citation and streaming tests and
    /// benchmarks. It does not follow instructions. <see cref="NumLayers"/>, <see cref="IntermediateSize"/>,
    /// <see cref="ContextLength"/> (at most 2,048), <see cref="Seed"/>, <see cref="Precision"/> and
    /// <see cref="ModelBuilderOptions.Quantization"/> may be changed; the build refuses a shape the circuit does not fit, naming the property.</remarks>
    /// <returns>New options whose <see cref="WeightSource"/> is the circuit.</returns>
    public static ModelBuilderOptions Copying()
    {
        var options = new ModelBuilderOptions
        {
            Family = ModelFamily.Llama,
            HiddenSize = 512,
            NumLayers = 6,
            NumAttentionHeads = 8,
            NumKeyValueHeads = 2,
            IntermediateSize = 1536,
            ContextLength = 2048,
        };
        InductionWeightSource.Apply(options);
        return options;
    }

    /// <summary>Checks that the options describe a model that can be built.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size, count or number is out of range; the parameter name is the property's.</exception>
    /// <exception cref="ArgumentException">The heads do not divide evenly, or <see cref="TokenizerDirectory"/> is empty.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Family))
        {
            throw new ArgumentOutOfRangeException(nameof(Family), Family, "Unknown model family.");
        }

        if (!Enum.IsDefined(Precision))
        {
            throw new ArgumentOutOfRangeException(nameof(Precision), Precision, "Unknown precision.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(HiddenSize, nameof(HiddenSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(NumLayers, nameof(NumLayers));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(NumAttentionHeads, nameof(NumAttentionHeads));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(NumKeyValueHeads, nameof(NumKeyValueHeads));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(IntermediateSize, nameof(IntermediateSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ContextLength, nameof(ContextLength));
        if (NumAttentionHeads % NumKeyValueHeads != 0)
        {
            throw new ArgumentException(
                $"NumAttentionHeads ({NumAttentionHeads}) must be a multiple of NumKeyValueHeads ({NumKeyValueHeads}): each KV head serves a whole group of query heads.",
                nameof(NumKeyValueHeads));
        }

        if (HeadSize is null && HiddenSize % NumAttentionHeads != 0)
        {
            throw new ArgumentException(
                $"HiddenSize ({HiddenSize}) is not a multiple of NumAttentionHeads ({NumAttentionHeads}); set HeadSize explicitly.", nameof(HeadSize));
        }

        int headSize = EffectiveHeadSize;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(headSize, nameof(HeadSize));
        if (headSize % 16 != 0)
        {
            // Checked here because the model would build but fail on its first run.
            throw new ArgumentOutOfRangeException(nameof(HeadSize), headSize, "The head size must be a multiple of 16: ONNX Runtime's CPU GroupQueryAttention kernel rejects others.");
        }

        if (VocabSize is { } vocab)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocab, nameof(VocabSize));
        }

        if (SlidingWindow is { } window)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(window, nameof(SlidingWindow));
        }

        if (!double.IsFinite(RopeTheta) || RopeTheta <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RopeTheta), RopeTheta, "The rope base must be positive and finite.");
        }

        if (!double.IsFinite(RmsNormEpsilon) || RmsNormEpsilon <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RmsNormEpsilon), RmsNormEpsilon, "The epsilon must be positive and finite.");
        }

        if (!float.IsFinite(WeightInitScale) || WeightInitScale < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(WeightInitScale), WeightInitScale, "The weight scale must be zero or more and finite.");
        }

        if ((LoraTargets & ~LoraTargetModules.All) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LoraTargets), LoraTargets, "Unknown LoRA target module.");
        }

        if (TokenizerDirectory is { Length: 0 })
        {
            throw new ArgumentException("TokenizerDirectory is empty; use null for the embedded demo tokenizer.", nameof(TokenizerDirectory));
        }

        Quantization?.Validate();
        ValidateTensorSizes(headSize);
        if (WeightSource is InductionWeightSource)
        {
            InductionWeightSource.Check(this);
        }
    }

    // One tensor is held in a managed array while it is written, so each must fit in one.
    private void ValidateTensorSizes(int headSize)
    {
        long qkv = ((long)NumAttentionHeads + (2L * NumKeyValueHeads)) * headSize;
        CheckElements((long)HiddenSize * qkv, nameof(HiddenSize));
        CheckElements((long)NumAttentionHeads * headSize * HiddenSize, nameof(NumAttentionHeads));
        CheckElements((long)IntermediateSize * HiddenSize, nameof(IntermediateSize));
        CheckElements((long)ContextLength * headSize, nameof(ContextLength));
        if (VocabSize is { } vocab)
        {
            CheckElements((long)vocab * HiddenSize, nameof(VocabSize));
        }
    }

    private static void CheckElements(long elements, string property)
    {
        if (elements > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(property, $"{property} makes a tensor of {elements:N0} elements; the builder handles at most {Array.MaxLength:N0} per tensor.");
        }
    }
}
