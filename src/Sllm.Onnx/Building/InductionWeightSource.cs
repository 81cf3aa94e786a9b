using System.Globalization;

namespace Sllm.Onnx.Building;

/// <summary>
/// Hand-wired weights for a Llama-shaped model that copies from its context: two layers form an induction circuit that
/// finds the earlier position whose preceding tokens best match the last three (three matching tokens beat two, two
/// beat one, and among equals a slight recency preference decides) and predicts the token that followed it. Every other
/// weight is faint noise, so the remaining layers cost a full pass each (dense weights, as in a real model) but change
/// almost nothing. A deterministic stand-in for a trained model in benchmarks and tests of prompt lookup, where a random
/// model's greedy output never copies its prompt.
/// </summary>
/// <remarks>
/// <para>Residual layout (the other dimensions carry only the filler noise): a constant, two 16-dimensional token codes
/// (E, F), a 64-dimensional output code (G), the E/F codes of the three tokens before (written by layer 0) and the
/// predicted token's G code (written by layer 1), read by the LM head.</para>
/// <para>Layer 0, previous-token heads: queries and keys are constant vectors in the rotary pairs that turn (with rope
/// base 1e20 only the first eight of a 64-wide head do); head k's query is pre-rotated by k + 1 positions, so its score
/// peaks where the key is k + 1 tokens back, and the value (the E/F codes) lands in slot k + 1. Layer 1, induction
/// heads: in the 48 dimensions that do not turn over the context, the query (the codes of the last three tokens) meets
/// the key (the codes of the three tokens before each earlier position), so each matching token adds the same score; a
/// slowly turning pair adds a small preference for recent positions (prompt lookup copies the most recent longest
/// match). The value, the G code of the matched position, is what the LM head reads. The second KV group does the same
/// with the F codes, so the two codes' cross-talk averages out. The rule holds approximately: random codes in 16
/// dimensions have cross-talk, so a one-token match can lose to a chance alignment, and ties between equal matches are
/// decided by a preference smaller than the filler noise's jitter.</para>
/// <para>Requires the Llama or Qwen2 family, head size 64, a hidden size of at least <see cref="MinimumHiddenSize"/>
/// (257), two or more layers, three or more heads, untied embeddings, a context of at most 2,048 and rope base 1e20
/// (<see cref="Apply"/> and <see cref="ModelBuilderOptions.Copying"/> set it). <see cref="ModelBuilderOptions.Validate"/>
/// checks the shape before anything is written, and the options are read again for every tensor, so options may be
/// changed and rebuilt. The token codes are seeded by <see cref="ModelBuilderOptions.Seed"/>. Used by one build at a
/// time, as the builder does.</para>
/// </remarks>
internal sealed class InductionWeightSource : IModelWeightSource
{
    /// <summary>The rope base that leaves exactly the first <see cref="TurningPairs"/> pairs of a 64-wide head turning within 2,048 positions.</summary>
    public const double RopeBase = 1e20;

    private const int HeadSize = 64;

    // The recency pair turns past π near 3,100 positions and would then favour distant positions again; 2,048 keeps a margin.
    private const int MaximumContext = 2048;
    private const int Half = HeadSize / 2;
    private const int TurningPairs = 8;
    private const int RecencyPair = 5;
    private const int OutputCodeSize = 64;

    // The induction score compares the last Window tokens with the Window tokens before each earlier position, all in the
    // 48 dimensions of a head that do not turn: each of the Window codes gets 48 / Window of them.
    private const int Window = 3;
    private const int ContentSize = 2 * (Half - TurningPairs);
    private const int CodeSize = ContentSize / Window;

    // Residual offsets: the constant, the token's E, F and G codes, then Window slots of earlier tokens' E and F codes
    // (slot k holds the token k positions back), then the predicted token's G code.
    private const int Constant = 0;
    private const int CodeE = 1;
    private const int CodeG = CodeE + (2 * CodeSize);
    private const int Previous = CodeG + OutputCodeSize;
    private const int Predicted = Previous + (Window * 2 * CodeSize);

    /// <summary>The residual dimensions the circuit uses.</summary>
    public const int MinimumHiddenSize = Predicted + OutputCodeSize;

    // Attention logits: the previous-token score peaks at this; the next-best position scores about 6 % (20) less ...
    private const float PositionalStrength = 330f;

    // ... each matching code adds this much to an induction score; recency's amplitude (it spans about 7 over 2,048
    // positions, about 0.003 per token: enough to break exact ties, not to beat a longer match).
    private const float MatchStrength = 25f;
    private const float RecencyStrength = 5f;
    private const float RecencyPhase = 0.8f;
    private const float OutputLogit = 10f;

    // Standard deviation of the filler weights: a full layer of them moves the residual by about 1e-3 of the codes.
    private const float NoiseScale = 1e-3f;

    private readonly ModelBuilderOptions _options;

    // Reads the options on every tensor, so a preset's shape may still be changed (and rebuilt) after it was made;
    // ModelBuilderOptions.Validate checks that shape before the build asks for any tensor.
    internal InductionWeightSource(ModelBuilderOptions options) => _options = options;

    /// <summary>Changes whenever the circuit's weights change, so caches of built models can tell them apart.</summary>
    public static string Version => "induction-3gram-noise1e-3";

    /// <summary>Makes <paramref name="options"/> build the copying model: sets the rope base and the weight source.</summary>
    /// <param name="options">The shape; any vocabulary.</param>
    /// <exception cref="ArgumentException">The shape cannot hold the circuit; the parameter name is the property's, and
    /// <paramref name="options"/> is left unchanged.</exception>
    public static void Apply(ModelBuilderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        CheckShape(options);
        options.RopeTheta = RopeBase;
        options.WeightSource = new InductionWeightSource(options);
    }

    /// <summary>Throws when <paramref name="options"/> cannot hold the circuit, naming the property
    /// (<see cref="ModelBuilderOptions.Validate"/> calls this for options that carry the circuit).</summary>
    /// <param name="options">The options to check.</param>
    /// <exception cref="ArgumentException">The shape cannot hold the circuit; the parameter name is the property's.</exception>
    public static void Check(ModelBuilderOptions options)
    {
        CheckShape(options);
        if (options.RopeTheta != RopeBase)
        {
            Fail(nameof(ModelBuilderOptions.RopeTheta), string.Create(CultureInfo.InvariantCulture, $"RopeTheta is {options.RopeTheta}, not 1e20 (its rotary pairs carry the circuit's positions)"));
        }
    }

    private static void CheckShape(ModelBuilderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (string Property, string Problem)? failure =
            options.Family is not (ModelFamily.Llama or ModelFamily.Qwen2) ? (nameof(options.Family), $"Family is {options.Family}, not Llama or Qwen2")
            : options.EffectiveHeadSize != HeadSize ? (nameof(options.HeadSize), $"HeadSize is {options.EffectiveHeadSize} (set or HiddenSize / NumAttentionHeads), not {HeadSize}")
            : options.HiddenSize < MinimumHiddenSize ? (nameof(options.HiddenSize), $"HiddenSize is {options.HiddenSize}, below {MinimumHiddenSize}")
            : options.NumLayers < 2 ? (nameof(options.NumLayers), $"NumLayers is {options.NumLayers}, below 2")
            : options.NumAttentionHeads < Window ? (nameof(options.NumAttentionHeads), $"NumAttentionHeads is {options.NumAttentionHeads}, below {Window}")
            : options.TieWordEmbeddings ? (nameof(options.TieWordEmbeddings), "TieWordEmbeddings is set, but the LM head reads other dimensions than the embeddings write")
            : options.ContextLength > MaximumContext ? (nameof(options.ContextLength), $"ContextLength is {options.ContextLength}, above {MaximumContext}")
            : null;
        if (failure is { } f)
        {
            Fail(f.Property, f.Problem);
        }
    }

    private static void Fail(string property, string problem) =>
        throw new ArgumentException($"The copying (induction) model cannot be built: {problem}.", property);

    /// <inheritdoc />
    public bool TryGetWeight(string name, ReadOnlySpan<int> shape, Span<float> destination)
    {
        if (name.EndsWith("layernorm.weight", StringComparison.Ordinal) || name == "model.norm.weight")
        {
            return false;
        }

        // Faint noise rather than zeros everywhere the circuit does not write: all-zero pages can end up shared
        // (sparse files, the kernel's zero page), which would make the model cheaper to run than a real one of its shape.
        new SeededNoise(Seed, name, NoiseScale).Fill(destination, 0);
        if (name == "model.embed_tokens.weight")
        {
            FillEmbeddings(TokenCodes(shape[0], Seed), destination);
        }
        else if (name == "lm_head.weight")
        {
            FillLmHead(TokenCodes(shape[0], Seed), destination);
        }
        else if (name.StartsWith("model.layers.0.self_attn.", StringComparison.Ordinal))
        {
            FillPreviousTokenLayer(name["model.layers.0.self_attn.".Length..], destination);
        }
        else if (name.StartsWith("model.layers.1.self_attn.", StringComparison.Ordinal))
        {
            FillInductionLayer(name["model.layers.1.self_attn.".Length..], destination);
        }

        return true;
    }

    private static float[] TokenCodes(int vocabulary, long seed)
    {
        const int PerToken = (2 * CodeSize) + OutputCodeSize;
        var random = new Random(unchecked((int)seed ^ 0x5EED));
        float[] codes = new float[vocabulary * PerToken];
        for (int token = 0; token < vocabulary; token++)
        {
            Span<float> row = codes.AsSpan(token * PerToken, PerToken);
            Gaussian(random, row[..CodeSize]);
            Gaussian(random, row.Slice(CodeSize, CodeSize));
            Gaussian(random, row[(2 * CodeSize)..]);
        }

        return codes;
    }

    private static void Gaussian(Random random, Span<float> code)
    {
        double norm = 0;
        for (int i = 0; i < code.Length; i++)
        {
            double u = 1 - random.NextDouble();
            code[i] = (float)(Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble()));
            norm += code[i] * code[i];
        }

        float inverse = (float)(1 / Math.Sqrt(norm));
        for (int i = 0; i < code.Length; i++)
        {
            code[i] *= inverse;
        }
    }

    private static ReadOnlySpan<float> Code(float[] codes, int token) => codes.AsSpan(token * ((2 * CodeSize) + OutputCodeSize), (2 * CodeSize) + OutputCodeSize);

    private void FillEmbeddings(float[] codes, Span<float> destination)
    {
        int vocabulary = destination.Length / Hidden;
        for (int token = 0; token < vocabulary; token++)
        {
            Span<float> row = destination.Slice(token * Hidden, Hidden);
            row[Constant] = 1;
            Code(codes, token).CopyTo(row[CodeE..]);
        }
    }

    // RMSNorm rescales the residual to root-mean-square 1: with every code of unit length, a residual holding n unit
    // parts comes out of the norm multiplied by √(hidden / n).
    private float NormGain(int unitParts) => MathF.Sqrt(Hidden / (float)unitParts);

    private void FillLmHead(float[] codes, Span<float> destination)
    {
        // Constant, E, F, G, the earlier tokens' codes and the prediction.
        float gain = NormGain(5 + (2 * Window));
        int vocabulary = destination.Length / Hidden;
        for (int token = 0; token < vocabulary; token++)
        {
            ReadOnlySpan<float> g = Code(codes, token)[(2 * CodeSize)..];
            Span<float> row = destination.Slice(token * Hidden, Hidden);
            for (int i = 0; i < OutputCodeSize; i++)
            {
                row[Predicted + i] = OutputLogit * g[i] / gain;
            }
        }
    }

    private void FillPreviousTokenLayer(string part, Span<float> destination)
    {
        float gain = NormGain(4);
        float amplitude = MathF.Sqrt(PositionalStrength / TurningPairs * MathF.Sqrt(HeadSize));
        switch (part)
        {
            case "k_proj.weight":
                for (int kv = 0; kv < KvHeads; kv++)
                {
                    for (int pair = 0; pair < TurningPairs; pair++)
                    {
                        destination[Row(kv, pair) + Constant] = amplitude / gain;
                    }
                }

                break;
            case "q_proj.weight":
                for (int head = 0; head < Window; head++)
                {
                    int offset = head + 1;
                    for (int pair = 0; pair < TurningPairs; pair++)
                    {
                        float angle = offset * Frequency(pair);
                        destination[Row(head, pair) + Constant] = amplitude * MathF.Cos(angle) / gain;
                        destination[Row(head, pair + Half) + Constant] = -amplitude * MathF.Sin(angle) / gain;
                    }
                }

                break;
            case "v_proj.weight":
                for (int kv = 0; kv < KvHeads; kv++)
                {
                    for (int i = 0; i < 2 * CodeSize; i++)
                    {
                        destination[Row(kv, i) + CodeE + i] = 1 / gain;
                    }
                }

                break;
            case "o_proj.weight":
                // o_proj is [hidden, heads · head size]: head k writes the codes of the token k + 1 positions back.
                for (int head = 0; head < Window; head++)
                {
                    for (int i = 0; i < 2 * CodeSize; i++)
                    {
                        destination[((Slot(head + 1) + i) * Heads * HeadSize) + (head * HeadSize) + i] = 1;
                    }
                }

                break;
        }
    }

    private void FillInductionLayer(string part, Span<float> destination)
    {
        // Constant, E, F, G and the earlier tokens' codes.
        float gain = NormGain(4 + (2 * Window));
        float match = MathF.Sqrt(MatchStrength * MathF.Sqrt(HeadSize));
        float recency = MathF.Sqrt(RecencyStrength * MathF.Sqrt(HeadSize));
        int groups = Math.Min(KvHeads, 2);
        int groupSize = Heads / KvHeads;
        switch (part)
        {
            case "k_proj.weight":
                for (int kv = 0; kv < KvHeads; kv++)
                {
                    int code = kv % groups == 0 ? 0 : CodeSize;
                    for (int back = 0; back < Window; back++)
                    {
                        for (int i = 0; i < CodeSize; i++)
                        {
                            destination[Row(kv, ContentDimension((back * CodeSize) + i)) + Slot(back + 1) + code + i] = match / gain;
                        }
                    }

                    destination[Row(kv, RecencyPair) + Constant] = recency / gain;
                }

                break;
            case "q_proj.weight":
                for (int kv = 0; kv < groups; kv++)
                {
                    int head = kv * groupSize;
                    int code = kv == 0 ? 0 : CodeSize;
                    for (int back = 0; back < Window; back++)
                    {
                        int source = back == 0 ? CodeE : Slot(back);
                        for (int i = 0; i < CodeSize; i++)
                        {
                            destination[Row(head, ContentDimension((back * CodeSize) + i)) + source + code + i] = match / gain;
                        }
                    }

                    destination[Row(head, RecencyPair) + Constant] = recency * MathF.Cos(RecencyPhase) / gain;
                    destination[Row(head, Half + RecencyPair) + Constant] = recency * MathF.Sin(RecencyPhase) / gain;
                }

                break;
            case "v_proj.weight":
                for (int kv = 0; kv < KvHeads; kv++)
                {
                    for (int i = 0; i < OutputCodeSize; i++)
                    {
                        destination[Row(kv, i) + CodeG + i] = 1 / gain;
                    }
                }

                break;
            case "o_proj.weight":
                for (int kv = 0; kv < groups; kv++)
                {
                    int head = kv * groupSize;
                    for (int i = 0; i < OutputCodeSize; i++)
                    {
                        destination[((Predicted + i) * Heads * HeadSize) + (head * HeadSize) + i] = 1f / groups;
                    }
                }

                break;
        }
    }

    private int Hidden => _options.HiddenSize;

    private int Heads => _options.NumAttentionHeads;

    private int KvHeads => _options.NumKeyValueHeads;

    private long Seed => _options.Seed;

    // Slot k (1-based) holds the E and F codes of the token k positions back.
    private static int Slot(int back) => Previous + ((back - 1) * 2 * CodeSize);

    // The non-turning dimensions of a head: the real then the imaginary halves of pairs TurningPairs to Half - 1.
    private static int ContentDimension(int index) => index < Half - TurningPairs ? TurningPairs + index : Half + TurningPairs + (index - (Half - TurningPairs));

    // Row r of a [heads · head size, hidden] projection starts at r · hidden.
    private int Row(int head, int dimension) => ((head * HeadSize) + dimension) * Hidden;

    private static float Frequency(int pair) => 1f / MathF.Pow((float)RopeBase, 2f * pair / HeadSize);
}
