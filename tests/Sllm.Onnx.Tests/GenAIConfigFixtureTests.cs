using Sllm.Testing;

namespace Sllm.Onnx;

/// <summary>Loads every genai_config.json under ../shared/fixtures/ort-genai (ORT GenAI's own test models).</summary>
public sealed class GenAIConfigFixtureTests
{
    public static TheoryData<string> FixtureFolders()
    {
        var data = new TheoryData<string>();
        if (SharedData.IsAvailable)
        {
            string root = SharedData.PathOf("fixtures", "ort-genai");
            foreach (string file in Directory.EnumerateFiles(root, GenAIConfig.FileName, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(root, Path.GetDirectoryName(file)!));
            }
        }
        else
        {
            data.Add("(shared absent)");
        }

        return data;
    }

    [SharedTheory]
    [MemberData(nameof(FixtureFolders))]
    public async Task LoadAsync_EveryFixture_LoadsWithConsistentValues(string folder)
    {
        string dir = SharedData.PathOf("fixtures", "ort-genai", folder);

        GenAIConfig config = await GenAIConfig.LoadAsync(dir);

        Assert.Equal(Path.Combine(Path.GetFullPath(dir), GenAIConfig.FileName), config.Path);
        Assert.NotEmpty(config.Model.Type);
        Assert.True(config.Model.ContextLength > 0);
        Assert.True(config.Model.VocabSize > 0);
        Assert.NotEmpty(config.Model.EosTokenIds);
        Assert.InRange(config.Search.MaxLength, 1, config.Model.ContextLength);
        Assert.True(File.Exists(Path.Combine(dir, config.Model.Decoder.Filename)), config.Model.Decoder.Filename);
        Assert.True(config.Model.Decoder.NumHiddenLayers > 0);
        Assert.True(config.Model.Decoder.HeadSize > 0);
    }

    [SharedFact]
    public async Task LoadAsync_TinyGpt2_CombinedKvNamesAndPassthroughEntries()
    {
        var logger = new ListLogger();

        GenAIConfig config = await GenAIConfig.LoadAsync(Fixture("hf-internal-testing", "tiny-random-gpt2-fp32"), logger);

        GenAIModelConfig m = config.Model;
        Assert.Equal("gpt2", m.Type);
        Assert.Equal((98, 98, 1000, 512), (m.PadTokenId, m.BosTokenId, m.VocabSize, m.ContextLength));
        Assert.Equal([98], m.EosTokenIds);
        Assert.Equal("past.onnx", m.Decoder.Filename);
        Assert.Equal((4, 8, 5), (m.Decoder.NumKeyValueHeads, m.Decoder.HeadSize, m.Decoder.NumHiddenLayers));
        Assert.Equal("past_%d", m.Decoder.Inputs.PastNames);
        Assert.Equal("present_%d", m.Decoder.Outputs.PresentNames);
        Assert.Equal("input_ids", m.Decoder.Inputs.InputIds);
        Assert.Equal("0", m.Decoder.SessionOptions.ConfigEntries["session.use_device_allocator_for_initializers"]);
        Assert.Empty(m.Decoder.SessionOptions.ProviderOptions);
        Assert.Equal(string.Empty, m.Decoder.RunOptions["memory.enable_memory_arena_shrinkage"]);
        Assert.Equal(512, config.Search.MaxLength); // no search section: context_length
        Assert.False(config.Search.PastPresentShareBuffer);
        Assert.Empty(logger.Warnings);
    }

    [SharedFact]
    public async Task LoadAsync_TinyQwen_SeparateKvSharedBufferAndCudaOptions()
    {
        GenAIConfig config = await GenAIConfig.LoadAsync(Fixture("hf-internal-testing", "tiny-qwen35-cuda"));

        GenAIDecoderConfig d = config.Model.Decoder;
        Assert.Equal("qwen2", config.Model.Type);
        Assert.Equal([2], config.Model.EosTokenIds);
        Assert.True(config.Search.PastPresentShareBuffer);
        Assert.Equal(128, config.Search.MaxLength);
        Assert.Null(d.Inputs.PastNames);
        Assert.Equal("past_key_values.%d.key", d.Inputs.PastKeyNames);
        Assert.Equal("present.%d.value", d.Outputs.PresentValueNames);
        Assert.Equal("onnxruntime-genai", d.SessionOptions.LogId);
        GenAIProviderOptions cuda = Assert.Single(d.SessionOptions.ProviderOptions);
        Assert.Equal("cuda", cuda.Name);
        Assert.Equal("1", cuda.Options["enable_cuda_graph"]);
    }

    [SharedFact]
    public async Task LoadAsync_Lfm2_LayerTypesAndConvState()
    {
        GenAIConfig config = await GenAIConfig.LoadAsync(Fixture("hf-internal-testing", "tiny-random-lfm2-fp32"));

        Assert.Equal(["conv", "full_attention", "conv", "full_attention"], config.Model.Decoder.LayerTypes);
        Assert.Equal(4, config.Model.Decoder.ConvCacheSize);
        Assert.Equal("past_conv.%d", config.Model.Decoder.Inputs.PastConvNames);
        Assert.Equal("present_conv.%d", config.Model.Decoder.Outputs.PresentConvNames);
    }

    [SharedFact]
    public async Task LoadAsync_SyntheticPaged_KeepsPagedInputNamesAndWarnsAboutEngine()
    {
        var logger = new ListLogger();

        GenAIConfig config = await GenAIConfig.LoadAsync(Fixture("engine", "synthetic-paged"), logger);

        Assert.Equal("block_table", config.Model.Decoder.Inputs.Other["block_table"]);
        Assert.False(config.Search.DoSample);
        Assert.Contains(logger.Warnings, w => w.Contains("$.engine", StringComparison.Ordinal));
    }

    private static string Fixture(params string[] parts) => SharedData.PathOf(["fixtures", "ort-genai", .. parts]);
}
