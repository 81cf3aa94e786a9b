namespace Sllm.Onnx.Building;

/// <summary>The built graph computes what a Llama block computes, checked against <see cref="ReferenceDecoder"/>.</summary>
public sealed class ReferenceForwardTests
{
    private static readonly int[] Sequence = [17, 302, 45, 99, 260, 3, 581, 77];

    [Theory]
    [InlineData(ModelFamily.Llama, true, false, 1)]
    [InlineData(ModelFamily.Llama, false, false, 1)]
    [InlineData(ModelFamily.Qwen2, true, true, 1)]
    [InlineData(ModelFamily.Qwen2, false, true, 1)]
    [InlineData(ModelFamily.Phi3, true, false, 2)]
    [InlineData(ModelFamily.Mistral, true, false, 2)]
    public async Task Logits_Match_ReferenceForward(ModelFamily family, bool fused, bool tied, int layers)
    {
        ModelBuilderOptions options = ModelBuilderOptions.Tiny(family);
        options.NumLayers = layers;
        options.FuseRotary = fused;
        options.TieWordEmbeddings = tied;
        options.RmsNormEpsilon = 1e-5;
        await AssertMatchesReference(options);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SlidingWindow_Matches_Reference_Window(bool fused)
    {
        // Each query sees the last SlidingWindow positions, itself included (Hugging Face's sliding_window).
        ModelBuilderOptions options = ModelBuilderOptions.Tiny(ModelFamily.Mistral);
        options.NumLayers = 1;
        options.FuseRotary = fused;
        options.SlidingWindow = 3;
        await AssertMatchesReference(options);
    }

    [Fact]
    public async Task MultiQuery_And_FullHeads_Match_Reference()
    {
        // One KV head for all queries (MQA), and as many KV heads as query heads (MHA); heads × head size (128) is
        // not the hidden size (64), so the o_proj input width comes from the heads.
        foreach ((int heads, int kvHeads) in new[] { (4, 1), (4, 4) })
        {
            ModelBuilderOptions options = ModelBuilderOptions.Tiny(ModelFamily.Llama);
            options.NumLayers = 1;
            options.NumAttentionHeads = heads;
            options.NumKeyValueHeads = kvHeads;
            options.HeadSize = 32;
            await AssertMatchesReference(options);
        }
    }

    private static async Task AssertMatchesReference(ModelBuilderOptions options)
    {
        var weights = new RecordingWeightSource(seed: 11, scale: 0.3f);
        options.WeightSource = weights;
        using var dir = new TempDirectory();
        ModelBuildResult result = await OnnxModelBuilder.BuildAsync(dir.Path, options);
        using var decoder = new OrtDecoder(dir.Path);

        float[] actual = decoder.Prefill([.. Sequence.Select(id => (long)id)], batch: 1, Enumerable.Repeat(1L, Sequence.Length).ToArray());
        double[][] expected = new ReferenceDecoder(options, result.VocabSize, weights.Weights).Forward(Sequence);

        for (int t = 0; t < Sequence.Length; t++)
        {
            float[] row = [.. expected[t].Select(x => (float)x)];
            TinyModels.AssertClose(row, actual.AsSpan(t * result.VocabSize, result.VocabSize), 1e-4f * Math.Max(1, row.Max(Math.Abs)), $"position {t}");
        }
    }
}
