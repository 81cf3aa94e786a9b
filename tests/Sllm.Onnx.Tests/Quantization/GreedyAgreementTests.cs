using Sllm.Onnx.Building;
using Sllm.Onnx.Engine;
using Xunit;
using Xunit.Abstractions;

namespace Sllm.Onnx.Quantization;

/// <summary>
/// Teacher-forced top-1 agreement of quantized models with the float model over 1,000 decode steps: both read the float
/// model's greedy sequence, so one disagreement does not change every later position.
/// </summary>
public sealed class GreedyAgreementTests(ITestOutputHelper output)
{
    private const int Steps = 1000;

    [Theory]
    // Measured on the build machine: int8 95.6 % (level 4) / 96.8 % (level 0), int4 69.2 % / 69.7 %. Random weights give
    // flatter logits than trained ones (more near-ties), and level 4's kernels differ by CPU, so the floors keep a margin.
    [InlineData(8, 4, 0.90)]
    [InlineData(8, 0, 0.90)]
    [InlineData(4, 4, 0.60)]
    [InlineData(4, 0, 0.60)]
    public async Task Quantized_argmax_agrees_with_float(int bits, int accuracyLevel, double floor)
    {
        string floatPath = await QuantizedModels.GetAsync("agreement-f32", () => BuildOptions(null));
        string path = await QuantizedModels.GetAsync($"agreement-{bits}-{accuracyLevel}",
            () => BuildOptions(new QuantizationOptions { Bits = bits, AccuracyLevel = accuracyLevel }));
        using OnnxModel reference = await TestModels.LoadAsync(floatPath);
        using OnnxModel quantized = await TestModels.LoadAsync(path);
        double rate = Agreement(reference, quantized, out int distinct);
        output.WriteLine($"int{bits} accuracy_level {accuracyLevel}: top-1 agreement {rate:P1} over {Steps} steps ({distinct} distinct tokens in the float sequence)");
        Assert.True(distinct > 10, $"the float sequence has only {distinct} distinct tokens");
        Assert.True(rate >= floor, $"agreement {rate:P1} is below {floor:P0}");
    }

    internal static ModelBuilderOptions BuildOptions(QuantizationOptions? quantization)
    {
        ModelBuilderOptions options = QuantizedModels.Tiny(ModelFamily.Llama, quantization, seed: 11);
        options.ContextLength = Steps + 32;
        return options;
    }

    internal static double Agreement(OnnxModel reference, OnnxModel quantized, out int distinct)
    {
        using Generator floats = reference.CreateGenerator(Options(reference));
        using Generator quants = quantized.CreateGenerator(Options(quantized));
        int[] prompt = [5, 17, 42, 99, 7, 3, 250, 11];
        floats.AppendTokens(prompt);
        quants.AppendTokens(prompt);
        int agree = 0;
        var seen = new HashSet<int>();
        for (int step = 0; step < Steps; step++)
        {
            int expected = ArgMax(floats.GetLogits(0));
            agree += ArgMax(quants.GetLogits(0)) == expected ? 1 : 0;
            seen.Add(expected);
            floats.AppendTokens([expected]);
            quants.AppendTokens([expected]);
        }

        distinct = seen.Count;
        return agree / (double)Steps;
    }

    private static GeneratorOptions Options(OnnxModel model) => new() { MaxLength = Steps + 16, Sampling = model.DefaultSamplingOptions };

    private static int ArgMax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++)
        {
            best = logits[i] > logits[best] ? i : best;
        }

        return best;
    }
}
