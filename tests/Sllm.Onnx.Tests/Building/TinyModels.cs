namespace Sllm.Onnx.Building;

/// <summary>Option presets and comparisons the builder tests share.</summary>
internal static class TinyModels
{
    public static readonly long[] Prompt = [17, 302, 45, 99, 260];

    /// <summary>A tiny model with weights large enough that greedy picks are well separated.</summary>
    public static ModelBuilderOptions Options(ModelFamily family, ModelPrecision precision = ModelPrecision.Float32, bool fused = true)
    {
        ModelBuilderOptions options = ModelBuilderOptions.Tiny(family);
        options.Precision = precision;
        options.FuseRotary = fused;
        options.WeightInitScale = 0.5f;
        options.Seed = 1234;
        return options;
    }

    /// <summary>Absolute tolerance for logits: float32 accumulates in a different order, float16 rounds every activation.</summary>
    public static float Tolerance(ModelPrecision precision, ReadOnlySpan<float> logits)
    {
        float scale = 1;
        foreach (float value in logits)
        {
            scale = Math.Max(scale, Math.Abs(value));
        }

        return precision == ModelPrecision.Float16 ? 2e-2f * scale : 1e-4f * scale;
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float worst = 0;
        int at = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            float difference = Math.Abs(expected[i] - actual[i]);
            if (!(difference <= worst))
            {
                worst = difference;
                at = i;
            }
        }

        Assert.True(worst <= tolerance, $"{what}: |{expected[at]} - {actual[at]}| = {worst} at {at} exceeds {tolerance}");
    }

    /// <summary>
    /// Asserts two greedy runs chose the same tokens; a different pick is accepted only where the reference's top two
    /// logits were closer than the tolerance (a tie either rounding may break).
    /// </summary>
    public static void AssertSameGreedy(List<int> expected, List<float[]> expectedLogits, List<int> actual, List<float[]> actualLogits, ModelPrecision precision)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int step = 0; step < expected.Count; step++)
        {
            float tolerance = Tolerance(precision, expectedLogits[step]);
            AssertClose(expectedLogits[step], actualLogits[step], tolerance, $"step {step}");
            if (expected[step] != actual[step])
            {
                float[] sorted = [.. expectedLogits[step].OrderDescending()];
                Assert.True(sorted[0] - sorted[1] <= 2 * tolerance, $"step {step}: {expected[step]} vs {actual[step]} with a margin of {sorted[0] - sorted[1]}");
                return; // the runs continue from different tokens, so later steps are not comparable
            }
        }
    }
}
