using Sllm.Onnx.Building;

namespace Sllm.Benchmarks.Speculative;

/// <summary>
/// The target and draft of the speculative benchmarks, written by Sllm's builder over its 584-token demo tokenizer
/// (vocabulary 640, so draft and target share it) and cached under <c>benchmarks/artifacts/models/</c>.
/// </summary>
/// <remarks><see cref="CopyTarget"/> has the target's shape and cost but hand-wired weights (an induction circuit, see
/// <c>InductionWeightSource</c>) that copy from the context, as a trained model answering from a given text does;
/// <see cref="Target"/> has the builder's random weights, whose greedy output never copies the prompt (acceptance there
/// is whatever its repetitive output happens to repeat). <see cref="Draft"/> is an independent small model (it never
/// agrees with either target: the no-acceptance bound); <see cref="Int4Draft"/> and <see cref="CopyInt4Draft"/> are
/// the targets themselves with int4 weights (the copying one symmetric, as ORT GenAI's builder writes, so its faint filler weights stay near zero).</remarks>
internal static class SpeculativeModels
{
    /// <summary>About 19 M parameters (76 MB): 6 layers, hidden 512, MLP 1536, GQA 8/2 heads.</summary>
    public const string Target = "spec-target-6x512-fp32";

    /// <summary>The target's shape with the copying circuit's weights.</summary>
    public const string CopyTarget = "spec-copy-6x512-fp32";

    /// <summary>The copying target with int4 block-32 symmetric weights.</summary>
    public const string CopyInt4Draft = "spec-copy-6x512-int4";

    /// <summary>About 0.3 M parameters: 2 layers, hidden 128, same tokenizer.</summary>
    public const string Draft = "spec-draft-2x128-fp32";

    /// <summary>The target's shape and seed with int4 block-32 weights: the "int4 draft of the same model".</summary>
    public const string Int4Draft = "spec-target-6x512-int4";

    public static ModelBuilderOptions Options(string name) => name switch
    {
        Int4Draft => WithInt4(Options(Target)),
        CopyTarget => Copying(Options(Target)),
        CopyInt4Draft => WithInt4(Copying(Options(Target)), symmetric: true),
        Target => new ModelBuilderOptions
        {
            Family = ModelFamily.Llama,
            HiddenSize = 512,
            NumLayers = 6,
            NumAttentionHeads = 8,
            NumKeyValueHeads = 2,
            IntermediateSize = 1536,
            ContextLength = 2048,
            Seed = 42,
        },
        Draft => new ModelBuilderOptions
        {
            Family = ModelFamily.Llama,
            HiddenSize = 128,
            NumLayers = 2,
            NumAttentionHeads = 4,
            NumKeyValueHeads = 2,
            IntermediateSize = 256,
            ContextLength = 2048,
            Seed = 43,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown speculative benchmark model."),
    };

    private static ModelBuilderOptions WithInt4(ModelBuilderOptions options, bool symmetric = false)
    {
        options.Quantization = new Sllm.Onnx.Quantization.QuantizationOptions { Bits = 4, Symmetric = symmetric };
        return options;
    }

    private static ModelBuilderOptions Copying(ModelBuilderOptions options)
    {
        InductionWeightSource.Apply(options);
        return options;
    }

    /// <summary>Returns the cached folder, building it when missing or built with other options.</summary>
    public static string Ensure(string name) => Decoding.DecodeModels.Ensure(name, Options(name));

    /// <summary>Loads a model, building it first when needed.</summary>
    public static Sllm.Onnx.OnnxModel Load(string name) => Sllm.Onnx.OnnxModel.CreateAsync(Ensure(name)).GetAwaiter().GetResult();

    /// <summary>Returns the target of a benchmark's <c>Model</c> parameter: <c>Copying</c> or <c>Random</c>.</summary>
    public static string TargetOf(string model) => model == "Copying" ? CopyTarget : Target;

    /// <summary>Returns a greedy generator for <paramref name="newTokens"/> tokens after <paramref name="prompt"/>, with
    /// the prompt prefilled and the first token taken (so the next step is a decode step).</summary>
    public static Sllm.Onnx.Generator StartGreedy(Sllm.Onnx.OnnxModel target, int[] prompt, int newTokens)
    {
        var options = new Sllm.Onnx.GeneratorOptions { MaxLength = prompt.Length + 1 + newTokens, Sampling = new Sllm.Generation.SamplingOptions() };

        // Random weights could emit an end-of-sequence id early; an out-of-text id keeps every run at full length.
        options.EosTokenIds.Add(target.VocabularySize - 1);
        Sllm.Onnx.Generator generator = target.CreateGenerator(options);
        generator.AppendTokens(prompt);
        generator.GenerateNextToken();
        return generator;
    }
}
