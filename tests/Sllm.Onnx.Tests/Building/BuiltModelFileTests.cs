using Sllm.ChatTemplates;
using Sllm.Tokenization;

namespace Sllm.Onnx.Building;

/// <summary>What a build writes: the folder's files, the graph's operators and weights, and genai_config.json.</summary>
public sealed class BuiltModelFileTests
{
    [Fact]
    public async Task Build_Writes_ModelFolder()
    {
        using var dir = new TempDirectory();
        ModelBuildResult result = await OnnxModelBuilder.BuildAsync(dir.Sub("model"), ModelBuilderOptions.Tiny());

        string folder = dir.Sub("model");
        Assert.Equal(folder, result.OutputDirectory);
        Assert.Equal(Path.Combine(folder, "model.onnx"), result.ModelPath);
        Assert.Equal(Path.Combine(folder, "model.onnx.data"), result.DataPath);
        string[] files = [.. Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        Assert.Equal(["genai_config.json", "model.onnx", "model.onnx.data", "tokenizer.json", "tokenizer_config.json"], files);
        Assert.Equal(files.Sum(f => new FileInfo(Path.Combine(folder, f)).Length), result.TotalBytes);

        // 584 demo tokens rounded up to 640; per layer: norms 2·64, qkv 64·128, o 64·64, MLP 3·64·128.
        Assert.Equal(640, result.VocabSize);
        long perLayer = (2 * 64) + (64 * 128) + (64 * 64) + (3 * 64 * 128);
        Assert.Equal((2 * 640 * 64) + (2 * perLayer) + 64, result.ParameterCount);

        // The folder is a complete model for the tokenizer and template loaders too.
        HuggingFaceTokenizer tokenizer = await HuggingFaceTokenizer.CreateAsync(folder);
        Assert.True(tokenizer.VocabularySize <= result.VocabSize);
        ChatTemplate template = await ChatTemplate.LoadAsync(folder);
        Assert.Contains("<|im_start|>", template.Source, StringComparison.Ordinal);
        Assert.Equal([583], result.EosTokenIds);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GenAIConfig_RoundTrips_Through_Parser(bool fused)
    {
        using var dir = new TempDirectory();
        ModelBuilderOptions options = ModelBuilderOptions.Tiny(ModelFamily.Qwen2);
        options.FuseRotary = fused;
        options.ContextLength = 512;
        var logger = new ListLogger();
        await OnnxModelBuilder.BuildAsync(dir.Path, options);

        GenAIConfig config = await GenAIConfig.LoadAsync(dir.Path, logger);

        Assert.Empty(logger.Warnings); // every key is one ORT GenAI and Sllm know
        GenAIModelConfig model = config.Model;
        Assert.Equal("qwen2", model.Type);
        Assert.Equal(512, model.ContextLength);
        Assert.Equal(640, model.VocabSize);
        Assert.Equal([583], model.EosTokenIds);  // <|im_end|>, the demo tokenizer's eos_token
        Assert.Equal(581, model.PadTokenId);     // <|endoftext|>
        Assert.Equal(581, model.BosTokenId);     // no bos_token: falls back on pad, as Qwen2.5 does
        GenAIDecoderConfig decoder = model.Decoder;
        Assert.Equal("model.onnx", decoder.Filename);
        Assert.Equal((16, 64, 4, 2, 2), (decoder.HeadSize, decoder.HiddenSize, decoder.NumAttentionHeads, decoder.NumKeyValueHeads, decoder.NumHiddenLayers));
        Assert.Equal("onnxruntime-genai", decoder.SessionOptions.LogId);
        Assert.Empty(decoder.SessionOptions.ProviderOptions);
        Assert.Equal("past_key_values.%d.key", decoder.Inputs.PastKeyNames);
        Assert.Equal("past_key_values.%d.value", decoder.Inputs.PastValueNames);
        Assert.Equal("present.%d.key", decoder.Outputs.PresentKeyNames);
        Assert.Equal("present.%d.value", decoder.Outputs.PresentValueNames);
        Assert.Equal("logits", decoder.Outputs.Logits);
        string json = await File.ReadAllTextAsync(Path.Combine(dir.Path, "genai_config.json"));
        Assert.Equal(!fused, json.Contains("\"position_ids\"", StringComparison.Ordinal));
        GenAISearchOptions search = config.Search;
        Assert.Equal(512, search.MaxLength);
        Assert.True(search.PastPresentShareBuffer);
        Assert.False(search.DoSample);
        Assert.Equal((50, 1.0, 1.0, 1.0, 1), (search.TopK, search.TopP, search.Temperature, search.RepetitionPenalty, search.NumBeams));
        Assert.True(search.EarlyStopping);
    }

    [Theory]
    [InlineData(ModelFamily.Qwen2, true)]
    [InlineData(ModelFamily.Llama, false)]
    public async Task Graph_Uses_OrtGenAI_Operators_And_Names(ModelFamily family, bool fused)
    {
        using var dir = new TempDirectory();
        ModelBuilderOptions options = ModelBuilderOptions.Tiny(family);
        options.FuseRotary = fused;
        await OnnxModelBuilder.BuildAsync(dir.Path, options);

        OnnxFileReader.Model model = OnnxFileReader.Read(Path.Combine(dir.Path, "model.onnx"));

        Assert.Equal(10, model.IrVersion);
        Assert.Equal(new Dictionary<string, long> { [""] = 21, ["com.microsoft"] = 1 }, model.Opsets);
        var ops = model.Nodes.Select(n => (n.Domain, n.OpType)).ToHashSet();
        (string, string)[] expected =
        [
            ("", "Constant"), ("", "ReduceSum"), ("", "Sub"), ("", "Cast"), ("", "Shape"), ("", "Gather"), ("", "MatMul"),
            ("", "SimplifiedLayerNormalization"), ("com.microsoft", "SkipSimplifiedLayerNormalization"),
            ("com.microsoft", "GroupQueryAttention"), ("", "Sigmoid"), ("", "Mul"),
        ];
        Assert.Subset(ops, expected.ToHashSet());
        Assert.Equal(family == ModelFamily.Qwen2, ops.Contains(("", "Add")));
        Assert.Equal(family == ModelFamily.Qwen2, ops.Contains(("", "Transpose"))); // tied embeddings
        Assert.Equal(!fused, ops.Contains(("com.microsoft", "RotaryEmbedding")));

        OnnxFileReader.Node gqa = model.Nodes.First(n => n.OpType == "GroupQueryAttention");
        Assert.Equal("/model/layers.0/attn/GroupQueryAttention", gqa.Name);
        Assert.Equal(["/model/layers.0/attn/GroupQueryAttention/output_0", "present.0.key", "present.0.value"], gqa.Outputs);
        Assert.Equal(fused ? 9 : 7, gqa.Inputs.Count);
        Assert.Equal("/model/attn_mask_reformat/attn_mask_subgraph/Sub/Cast/output_0", gqa.Inputs[5]);
        Assert.Equal((4L, 2L, 0.25f, fused ? 1L : 0L, 0L, -1L), ((long)gqa.Attributes["num_heads"], (long)gqa.Attributes["kv_num_heads"],
            (float)gqa.Attributes["scale"], (long)gqa.Attributes["do_rotary"], (long)gqa.Attributes["rotary_interleaved"], (long)gqa.Attributes["local_window_size"]));
        OnnxFileReader.Node first = model.Nodes.First(n => n.OpType == "SimplifiedLayerNormalization");
        Assert.Equal((-1L, 1L), ((long)first.Attributes["axis"], (long)first.Attributes["stash_type"]));
        Assert.Equal(1, model.Nodes.Count(n => n.OpType == "SimplifiedLayerNormalization"));
        Assert.Equal(4, model.Nodes.Count(n => n.OpType == "SkipSimplifiedLayerNormalization")); // 2 layers × 2 - 1, + final
        Assert.Equal(["logits"], model.Nodes.Single(n => n.Name == "/lm_head/MatMul").Outputs);

        // Every weight is external, aligned, and sized as its shape says.
        Assert.All(model.Initializers, init =>
        {
            Assert.Equal(1, init.DataLocation);
            Assert.Equal("model.onnx.data", init.External["location"]);
            Assert.Equal(0, long.Parse(init.External["offset"]) % 64);
            Assert.Equal(init.Dims.Aggregate(4L, (a, b) => a * b), long.Parse(init.External["length"]));
        });
        string qkv = fused ? "model.layers.1.attn.qkv_proj.MatMul.weight" : "model.layers.1.attn.k_proj.MatMul.weight";
        Assert.Equal(fused ? [64L, 128L] : [64L, 32L], model.Initializers.Single(i => i.Name == qkv).Dims);
        Assert.Equal([256L, 8L], model.Initializers.Single(i => i.Name == "cos_cache").Dims);
    }

    [Fact]
    public async Task LargeTensors_Start_On_64KiB()
    {
        using var dir = new TempDirectory();
        ModelBuilderOptions options = ModelBuilderOptions.Tiny();
        options.VocabSize = 8192; // 8192 × 64 floats = 2 MiB per vocabulary matrix
        await OnnxModelBuilder.BuildAsync(dir.Path, options);

        OnnxFileReader.Model model = OnnxFileReader.Read(Path.Combine(dir.Path, "model.onnx"));
        OnnxFileReader.Initializer head = model.Initializers.Single(i => i.Name == "lm_head.MatMul.weight");
        Assert.Equal([64L, 8192L], head.Dims);
        Assert.Equal(0, long.Parse(head.External["offset"]) % 65536);
        long end = model.Initializers.Max(i => long.Parse(i.External["offset"]) + long.Parse(i.External["length"]));
        Assert.Equal(new FileInfo(Path.Combine(dir.Path, "model.onnx.data")).Length, end);
    }

    [Fact]
    public async Task SameSeed_IsByteIdentical_OtherSeed_ChangesOnlyWeights()
    {
        using var dir = new TempDirectory();
        foreach ((string name, long seed) in new[] { ("a", 7L), ("b", 7L), ("c", 8L) })
        {
            ModelBuilderOptions options = ModelBuilderOptions.Tiny(ModelFamily.Qwen2);
            options.Precision = ModelPrecision.Float16;
            options.Seed = seed;
            await OnnxModelBuilder.BuildAsync(dir.Sub(name), options);
        }

        byte[] Read(string name, string file) => File.ReadAllBytes(Path.Combine(dir.Sub(name), file));
        Assert.Equal(Read("a", "model.onnx"), Read("b", "model.onnx"));
        Assert.Equal(Read("a", "model.onnx.data"), Read("b", "model.onnx.data"));
        Assert.Equal(Read("a", "genai_config.json"), Read("b", "genai_config.json"));
        Assert.Equal(Read("a", "model.onnx"), Read("c", "model.onnx"));
        Assert.NotEqual(Read("a", "model.onnx.data"), Read("c", "model.onnx.data"));
    }

    [Theory]
    [InlineData(ModelFamily.Qwen2, true)]
    [InlineData(ModelFamily.Llama, false)]
    public async Task DecliningSource_Writes_The_Same_Weights_As_None(ModelFamily family, bool fused)
    {
        // Without a source the noise is computed straight in ONNX layout; with one it goes through the Hugging Face
        // layout buffer. Both must give the same bytes.
        using var dir = new TempDirectory();
        ModelBuilderOptions options = ModelBuilderOptions.Tiny(family);
        options.FuseRotary = fused;
        options.VocabSize = 20_000; // several chunks per vocabulary matrix
        await OnnxModelBuilder.BuildAsync(dir.Sub("none"), options);
        options.WeightSource = new DecliningSource();
        await OnnxModelBuilder.BuildAsync(dir.Sub("declining"), options);

        Assert.Equal(File.ReadAllBytes(Path.Combine(dir.Sub("none"), "model.onnx.data")), File.ReadAllBytes(Path.Combine(dir.Sub("declining"), "model.onnx.data")));
    }

    [Fact]
    public async Task TokenizerDirectory_IsCopied_And_Gives_SpecialIds()
    {
        using var dir = new TempDirectory();
        await OnnxModelBuilder.BuildAsync(dir.Sub("first"), ModelBuilderOptions.Tiny());

        // A tokenizer whose eos_token is <|endoftext|>: the ChatML turn end is added after it.
        string tokenizerDir = dir.Sub("tokenizer");
        Directory.CreateDirectory(tokenizerDir);
        File.Copy(Path.Combine(dir.Sub("first"), "tokenizer.json"), Path.Combine(tokenizerDir, "tokenizer.json"));
        string config = File.ReadAllText(Path.Combine(dir.Sub("first"), "tokenizer_config.json"))
            .Replace("\"eos_token\": \"<|im_end|>\"", "\"eos_token\": \"<|endoftext|>\"", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(tokenizerDir, "tokenizer_config.json"), config);

        ModelBuilderOptions options = ModelBuilderOptions.Tiny();
        options.TokenizerDirectory = tokenizerDir;
        ModelBuildResult result = await OnnxModelBuilder.BuildAsync(dir.Sub("second"), options);

        Assert.Equal([581, 583], result.EosTokenIds);
        Assert.Equal(config, File.ReadAllText(Path.Combine(dir.Sub("second"), "tokenizer_config.json")));
        GenAIConfig genai = await GenAIConfig.LoadAsync(dir.Sub("second"));
        Assert.Equal([581, 583], genai.Model.EosTokenIds);
    }

    private sealed class DecliningSource : IModelWeightSource
    {
        public bool TryGetWeight(string name, ReadOnlySpan<int> shape, Span<float> destination) => false;
    }
}
