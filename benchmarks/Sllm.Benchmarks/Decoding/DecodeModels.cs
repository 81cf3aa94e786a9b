using System.Globalization;
using Sllm.Onnx.Building;

namespace Sllm.Benchmarks.Decoding;

/// <summary>
/// The models the decode benchmarks run, written by Sllm's own model builder (random weights, real graphs) and cached
/// under <c>benchmarks/artifacts/models/</c>, which git ignores: the Qwen2.5-0.5B-shaped one is about 2 GB, so it is
/// built once and reused by every benchmark process and every later run.
/// </summary>
internal static class DecodeModels
{
    /// <summary>Qwen2.5-0.5B's shape in float32: 24 layers, hidden 896, vocabulary 151,936, tied embeddings.</summary>
    public const string QwenHalfB = "qwen2.5-0.5b-shape-fp32";

    /// <summary>Qwen2.5-0.5B's shape with int4 MatMulNBits weights (block 32, zero points, accuracy level 4, int4 head).</summary>
    public const string QwenHalfBInt4 = "qwen2.5-0.5b-shape-int4";

    /// <summary>Qwen2.5-0.5B's shape with int8 MatMulNBits weights (block 32, zero points, accuracy level 4, int8 head).</summary>
    public const string QwenHalfBInt8 = "qwen2.5-0.5b-shape-int8";

    /// <summary>A few-MB model over the builder's 584-token demo tokenizer (vocabulary 640 after padding).</summary>
    public const string Small = "small-4x256-fp32";

    private const string MarkerFile = "sllm-benchmark-model.txt";

    public static ModelBuilderOptions Options(string name)
    {
        ModelBuilderOptions options = name switch
        {
            QwenHalfB => ModelBuilderOptions.Qwen25HalfBShape(),
            QwenHalfBInt4 or QwenHalfBInt8 => ModelBuilderOptions.Qwen25HalfBShape(),
            Small => new ModelBuilderOptions
            {
                Family = ModelFamily.Qwen2,
                HiddenSize = 256,
                NumLayers = 4,
                NumAttentionHeads = 4,
                NumKeyValueHeads = 2,
                HeadSize = 64,
                IntermediateSize = 512,
                TieWordEmbeddings = true,
                RopeTheta = 1_000_000,
                ContextLength = 1024,
            },
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown benchmark model."),
        };

        options.Seed = 42;
        options.Quantization = name switch
        {
            QwenHalfBInt4 => new Sllm.Onnx.Quantization.QuantizationOptions { Bits = 4 },
            QwenHalfBInt8 => new Sllm.Onnx.Quantization.QuantizationOptions { Bits = 8 },
            _ => null,
        };
        return options;
    }

    /// <summary>Returns the cached model folder, building it first when it is missing or was built with other options.</summary>
    public static string Ensure(string name) => Ensure(name, Options(name));

    /// <summary>Returns the cached folder <paramref name="name"/> of a model built with <paramref name="options"/>, building
    /// it first when it is missing or was built with other options (other benchmark folders share this cache).</summary>
    public static string Ensure(string name, ModelBuilderOptions options)
    {
        string root = Path.Combine(RepositoryPaths.Root, "benchmarks", "artifacts", "models");
        string directory = Path.Combine(root, name);
        string fingerprint = Fingerprint(options);
        string marker = Path.Combine(directory, MarkerFile);
        if (File.Exists(marker) && File.ReadAllText(marker) == fingerprint)
        {
            return directory;
        }

        // Written beside the final folder and renamed only when complete, so a build killed halfway (Ctrl+C, a
        // BenchmarkDotNet timeout) never leaves a folder that a later run would take for a finished model.
        string partial = Path.Combine(root, $"{name}.partial-{Environment.ProcessId}");
        if (Directory.Exists(partial))
        {
            Directory.Delete(partial, recursive: true);
        }

        Console.WriteLine($"// Building the benchmark model {name} in {directory} (once; later runs reuse it)");
        ModelBuildResult result = OnnxModelBuilder.BuildAsync(partial, options).GetAwaiter().GetResult();
        File.WriteAllText(Path.Combine(partial, MarkerFile), fingerprint);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.Move(partial, directory);
        Console.WriteLine($"// Built {name}: {result.ParameterCount:N0} parameters, {result.TotalBytes:N0} bytes");
        return directory;
    }

    private static string Fingerprint(ModelBuilderOptions o) => string.Join(
        ' ',
        o.Family,
        o.HiddenSize.ToString(CultureInfo.InvariantCulture),
        o.NumLayers.ToString(CultureInfo.InvariantCulture),
        o.NumAttentionHeads.ToString(CultureInfo.InvariantCulture),
        o.NumKeyValueHeads.ToString(CultureInfo.InvariantCulture),
        o.EffectiveHeadSize.ToString(CultureInfo.InvariantCulture),
        o.IntermediateSize.ToString(CultureInfo.InvariantCulture),
        o.VocabSize?.ToString(CultureInfo.InvariantCulture) ?? "tokenizer",
        o.ContextLength.ToString(CultureInfo.InvariantCulture),
        o.TieWordEmbeddings.ToString(),
        o.Precision,
        o.Seed.ToString(CultureInfo.InvariantCulture),
        o.RopeTheta.ToString("R", CultureInfo.InvariantCulture),
        o.WeightSource is InductionWeightSource ? InductionWeightSource.Version : o.WeightSource?.GetType().Name ?? "noise")
        + (o.Quantization is { } q ? string.Create(CultureInfo.InvariantCulture, $" int{q.Bits} b{q.BlockSize} s{q.Symmetric} a{q.AccuracyLevel} h{q.QuantizeLmHead}") : string.Empty);
}
