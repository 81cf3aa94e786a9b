namespace Sllm.Onnx.Building;

/// <summary>Option validation, presets and the builder's failures: bad folders, bad tokenizers, cancellation.</summary>
public sealed class ModelBuilderOptionsTests
{
    public static TheoryData<string, Action<ModelBuilderOptions>> InvalidOptions() => new()
    {
        { "HiddenSize", o => o.HiddenSize = 0 },
        { "NumLayers", o => o.NumLayers = -1 },
        { "NumAttentionHeads", o => o.NumAttentionHeads = 0 },
        { "NumKeyValueHeads", o => o.NumKeyValueHeads = 0 },
        { "NumKeyValueHeads", o => o.NumKeyValueHeads = 3 },
        { "HeadSize", o => o.HiddenSize = 66 },
        { "HeadSize", o => o.HeadSize = 24 },
        { "HeadSize", o => o.HeadSize = 0 },
        { "IntermediateSize", o => o.IntermediateSize = 0 },
        { "ContextLength", o => o.ContextLength = 0 },
        { "VocabSize", o => o.VocabSize = 0 },
        { "VocabSize", o => o.VocabSize = int.MaxValue },
        { "SlidingWindow", o => o.SlidingWindow = 0 },
        { "RopeTheta", o => o.RopeTheta = double.NaN },
        { "RmsNormEpsilon", o => o.RmsNormEpsilon = 0 },
        { "WeightInitScale", o => o.WeightInitScale = -1 },
        { "TokenizerDirectory", o => o.TokenizerDirectory = string.Empty },
        { "Family", o => o.Family = (ModelFamily)42 },
        { "Precision", o => o.Precision = (ModelPrecision)42 },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validate_Names_The_Property(string property, Action<ModelBuilderOptions> change)
    {
        var options = new ModelBuilderOptions();
        change(options);

        ArgumentException ex = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.Equal(property, ex.ParamName);
    }

    [Fact]
    public void Defaults_And_Presets_Are_Valid()
    {
        new ModelBuilderOptions().Validate();
        foreach (ModelFamily family in Enum.GetValues<ModelFamily>())
        {
            ModelBuilderOptions.Tiny(family).Validate();
        }

        ModelBuilderOptions qwen = ModelBuilderOptions.Qwen25HalfBShape();
        qwen.Validate();
        Assert.Equal((ModelFamily.Qwen2, 896, 24, 14, 2, 64, 4864), (qwen.Family, qwen.HiddenSize, qwen.NumLayers, qwen.NumAttentionHeads, qwen.NumKeyValueHeads, qwen.EffectiveHeadSize, qwen.IntermediateSize));
        Assert.Equal((151_936, 32_768, 1e6, true, true), (qwen.VocabSize, qwen.ContextLength, qwen.RopeTheta, qwen.TieWordEmbeddings, qwen.EffectiveAttentionBias));
        Assert.True(ModelBuilderOptions.Tiny(ModelFamily.Qwen2).EffectiveAttentionBias);
        Assert.False(ModelBuilderOptions.Tiny(ModelFamily.Mistral).EffectiveAttentionBias);
    }

    [Fact]
    public async Task BuildAsync_Rejects_Bad_Arguments()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => OnnxModelBuilder.BuildAsync(" ", new ModelBuilderOptions()));
        await Assert.ThrowsAsync<ArgumentNullException>(() => OnnxModelBuilder.BuildAsync("x", null!));

        using var dir = new TempDirectory();
        var options = new ModelBuilderOptions { VocabSize = 100 };
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => OnnxModelBuilder.BuildAsync(dir.Sub("small"), options));
        Assert.Contains("VocabSize (100)", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Sub("small")));
    }

    [Fact]
    public async Task BuildAsync_OutputPathIsFile_Throws_ModelBuildException()
    {
        using var dir = new TempDirectory();
        string file = dir.Sub("taken");
        await File.WriteAllTextAsync(file, "not a folder");

        var ex = await Assert.ThrowsAsync<ModelBuildException>(() => OnnxModelBuilder.BuildAsync(file, new ModelBuilderOptions()));

        Assert.Equal(file, ex.Path);
        Assert.Contains("is a file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_OutputUnderAFile_Throws_ModelBuildException()
    {
        using var dir = new TempDirectory();
        string file = dir.Sub("taken");
        await File.WriteAllTextAsync(file, "not a folder");

        var ex = await Assert.ThrowsAsync<ModelBuildException>(() => OnnxModelBuilder.BuildAsync(Path.Combine(file, "model"), new ModelBuilderOptions()));

        Assert.IsAssignableFrom<IOException>(ex.InnerException);
    }

    [Fact]
    public async Task BuildAsync_MissingTokenizer_Fails_Before_Creating_The_Folder()
    {
        using var dir = new TempDirectory();
        var options = new ModelBuilderOptions { TokenizerDirectory = dir.Sub("no-such-tokenizer") };

        await Assert.ThrowsAnyAsync<SllmException>(() => OnnxModelBuilder.BuildAsync(dir.Sub("model"), options));

        Assert.False(Directory.Exists(dir.Sub("model")));
    }

    [Fact]
    public async Task BuildAsync_Canceled_Between_Tensors_Removes_The_Partial_Weights()
    {
        using var dir = new TempDirectory();
        using var cancel = new CancellationTokenSource();
        var options = new ModelBuilderOptions { WeightSource = new CancelingSource(cancel, "model.layers.1.self_attn.q_proj.weight") };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => OnnxModelBuilder.BuildAsync(dir.Path, options, cancel.Token));

        Assert.False(File.Exists(Path.Combine(dir.Path, "model.onnx.data")));
        Assert.False(File.Exists(Path.Combine(dir.Path, "model.onnx")));
    }

    [Fact]
    public async Task BuildAsync_Overwrites_A_Previous_Build()
    {
        using var dir = new TempDirectory();
        await OnnxModelBuilder.BuildAsync(dir.Path, new ModelBuilderOptions { NumLayers = 3 });
        ModelBuildResult second = await OnnxModelBuilder.BuildAsync(dir.Path, new ModelBuilderOptions { NumLayers = 1 });

        using var decoder = new OrtDecoder(dir.Path);
        Assert.Equal(1, decoder.Layers);
        Assert.Equal(second.TotalBytes, Directory.GetFiles(dir.Path).Sum(f => new FileInfo(f).Length));
    }

    // Declines every tensor (so the defaults apply) and cancels the build when asked for one of them.
    private sealed class CancelingSource(CancellationTokenSource cancel, string trigger) : IModelWeightSource
    {
        public bool TryGetWeight(string name, ReadOnlySpan<int> shape, Span<float> destination)
        {
            if (name == trigger)
            {
                cancel.Cancel();
            }

            return false;
        }
    }
}
