namespace Sllm.Onnx.Building;

/// <summary>Built models run on the ONNX Runtime CPU provider the way ORT GenAI drives them.</summary>
public sealed class BuiltModelInferenceTests
{
    public static TheoryData<ModelFamily, ModelPrecision, bool> AllVariants()
    {
        var data = new TheoryData<ModelFamily, ModelPrecision, bool>();
        foreach (ModelFamily family in Enum.GetValues<ModelFamily>())
        {
            foreach (ModelPrecision precision in Enum.GetValues<ModelPrecision>())
            {
                data.Add(family, precision, true);
                data.Add(family, precision, false);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllVariants))]
    public async Task Greedy_GrowingCache_Equals_SharedBuffer(ModelFamily family, ModelPrecision precision, bool fused)
    {
        using var dir = new TempDirectory();
        await OnnxModelBuilder.BuildAsync(dir.Path, TinyModels.Options(family, precision, fused));
        using var decoder = new OrtDecoder(dir.Path);
        Assert.Equal(!fused, decoder.HasPositionIds);
        Assert.Equal(precision == ModelPrecision.Float16, decoder.Half);

        // A prefill of five tokens, then five decode steps.
        var growing = decoder.Greedy(TinyModels.Prompt, newTokens: 6, sharedBuffer: false);
        var shared = decoder.Greedy(TinyModels.Prompt, newTokens: 6, sharedBuffer: true, maxLength: 24);

        TinyModels.AssertSameGreedy(growing.Tokens, growing.Logits, shared.Tokens, shared.Logits, precision);
        Assert.True(growing.Tokens.Distinct().Count() > 1, "the model should not be stuck on one token");
    }

    [Theory]
    [MemberData(nameof(AllVariants))]
    public async Task FullSequence_Logits_Equal_IncrementalDecoding(ModelFamily family, ModelPrecision precision, bool fused)
    {
        using var dir = new TempDirectory();
        await OnnxModelBuilder.BuildAsync(dir.Path, TinyModels.Options(family, precision, fused));
        using var decoder = new OrtDecoder(dir.Path);
        var incremental = decoder.Greedy(TinyModels.Prompt, newTokens: 6, sharedBuffer: false);

        long[] sequence = [.. TinyModels.Prompt, .. incremental.Tokens.Take(5).Select(t => (long)t)];
        float[] full = decoder.Prefill(sequence, batch: 1, Enumerable.Repeat(1L, sequence.Length).ToArray());
        for (int step = 0; step < incremental.Logits.Count; step++)
        {
            int position = TinyModels.Prompt.Length - 1 + step;
            float[] expected = incremental.Logits[step];
            TinyModels.AssertClose(expected, full.AsSpan(position * decoder.Vocab, decoder.Vocab), TinyModels.Tolerance(precision, expected), $"position {position}");
        }
    }

    [Theory]
    [InlineData(ModelFamily.Llama, ModelPrecision.Float32, true)]
    [InlineData(ModelFamily.Qwen2, ModelPrecision.Float32, false)]
    [InlineData(ModelFamily.Mistral, ModelPrecision.Float16, true)]
    [InlineData(ModelFamily.Phi3, ModelPrecision.Float16, false)]
    public async Task RightPaddedBatch_Matches_RowsRunAlone(ModelFamily family, ModelPrecision precision, bool fused)
    {
        using var dir = new TempDirectory();
        await OnnxModelBuilder.BuildAsync(dir.Path, TinyModels.Options(family, precision, fused));
        using var decoder = new OrtDecoder(dir.Path);
        long[] rowA = TinyModels.Prompt;
        long[] rowB = [501, 7, 88];
        const long Pad = 581;
        long[] ids = [.. rowA, .. rowB, Pad, Pad];
        long[] mask = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0];

        float[] batch = decoder.Prefill(ids, batch: 2, mask);
        float[] aloneA = decoder.Prefill(rowA, batch: 1, [1, 1, 1, 1, 1]);
        float[] aloneB = decoder.Prefill(rowB, batch: 1, [1, 1, 1]);

        int v = decoder.Vocab;
        float[] expectedA = aloneA.AsSpan(4 * v, v).ToArray();
        float[] expectedB = aloneB.AsSpan(2 * v, v).ToArray();
        TinyModels.AssertClose(expectedA, batch.AsSpan(4 * v, v), TinyModels.Tolerance(precision, expectedA), "row A");
        TinyModels.AssertClose(expectedB, batch.AsSpan((5 + 2) * v, v), TinyModels.Tolerance(precision, expectedB), "row B");
    }

    [Fact]
    public async Task Float16_Logits_Track_Float32()
    {
        using var dir32 = new TempDirectory();
        using var dir16 = new TempDirectory();
        await OnnxModelBuilder.BuildAsync(dir32.Path, TinyModels.Options(ModelFamily.Qwen2, ModelPrecision.Float32));
        await OnnxModelBuilder.BuildAsync(dir16.Path, TinyModels.Options(ModelFamily.Qwen2, ModelPrecision.Float16));
        long[] mask = [1, 1, 1, 1, 1];
        using var decoder32 = new OrtDecoder(dir32.Path);
        using var decoder16 = new OrtDecoder(dir16.Path);
        float[] logits32 = decoder32.Prefill(TinyModels.Prompt, 1, mask);
        float[] logits16 = decoder16.Prefill(TinyModels.Prompt, 1, mask);

        TinyModels.AssertClose(logits32, logits16, TinyModels.Tolerance(ModelPrecision.Float16, logits32) * 2, "fp16 vs fp32");
    }

    [Fact]
    public async Task CallerWeights_AreUsed_ZeroLmHead_GivesZeroLogits()
    {
        using var dir = new TempDirectory();
        ModelBuilderOptions options = TinyModels.Options(ModelFamily.Llama);
        options.WeightSource = new RecordingWeightSource(seed: 5, scale: 0.3f).Override("lm_head.weight", shape => new float[shape[0] * shape[1]]);
        await OnnxModelBuilder.BuildAsync(dir.Path, options);
        using var decoder = new OrtDecoder(dir.Path);

        float[] logits = decoder.Prefill(TinyModels.Prompt, 1, [1, 1, 1, 1, 1]);

        Assert.All(logits, value => Assert.Equal(0f, value));
    }
}
