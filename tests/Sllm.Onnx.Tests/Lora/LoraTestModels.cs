using Microsoft.ML.OnnxRuntime;
using Sllm.Onnx.Building;
using Sllm.Onnx.Engine;
using Sllm.Onnx.Lora;

namespace Sllm.Onnx.Lora;

/// <summary>Tiny LoRA base models and adapters made for them.</summary>
internal static class LoraTestModels
{
    public static readonly int[] Prompt = [5, 17, 42, 99, 3, 250, 7];

    /// <summary>A tiny Llama with LoRA inputs on all seven projections; <paramref name="fused"/> picks packed QKV (CPU layout).</summary>
    public static Task<string> BaseAsync(bool fused = true) =>
        TestModels.GetAsync(fused ? "lora-all" : "lora-all-split", () => Options(fused, LoraTargetModules.All));

    public static ModelBuilderOptions Options(bool fused, LoraTargetModules targets)
    {
        ModelBuilderOptions options = ModelBuilderOptions.Tiny(ModelFamily.Llama);
        options.FuseRotary = fused;
        options.LoraTargets = targets;
        options.WeightInitScale = 0.1f;
        return options;
    }

    /// <summary>Random A and B for every adapter input of the model (B scaled by <paramref name="bScale"/>; 0 gives a zero adapter).</summary>
    public static OnnxAdapterFile RandomAdapter(OnnxModel model, int rank, int seed, float bScale = 0.2f)
    {
        var random = new Random(seed);
        var parameters = new List<LoraParameter>();
        foreach ((string name, NodeMetadata input) in model.Graph.AdapterInputs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            bool isA = name.EndsWith(".lora_A.weight", StringComparison.Ordinal);
            long[] dims = isA ? [input.Dimensions[0], rank] : [rank, input.Dimensions[1]];
            float[] values = new float[dims[0] * dims[1]];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = ((float)random.NextDouble() - 0.5f) * (isA ? 1f : bScale);
            }

            parameters.Add(LoraParameter.FromSingles(name, dims, values, (LoraDataType)(int)input.ElementDataType));
        }

        return new OnnxAdapterFile(parameters);
    }

    public static float[] PromptLogits(OnnxModel model, LoraAdapter? adapter, int[]? prompt = null)
    {
        using Generator generator = model.CreateGenerator(new GeneratorOptions { MaxLength = 32, Adapter = adapter });
        generator.AppendTokens(prompt ?? Prompt);
        return generator.GetLogits(0).ToArray();
    }

    public static int[] Greedy(OnnxModel model, LoraAdapter? adapter, int steps)
    {
        var sampling = new Sllm.Generation.SamplingOptions { DoSample = false };
        using Generator generator = model.CreateGenerator(new GeneratorOptions { MaxLength = 32, Adapter = adapter, Sampling = sampling });
        generator.AppendTokens(Prompt);
        for (int i = 0; i < steps && !generator.IsDone; i++)
        {
            generator.GenerateNextToken();
        }

        return generator.GetSequence(0).ToArray();
    }

    public static float MaxDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }
}
