namespace Sllm.Onnx;

public sealed class GenAIConfigParseTests
{
    private const string Minimal = """
        { "model": { "type": "llama", "context_length": 4096, "vocab_size": 32000, "pad_token_id": 7,
                     "decoder": { "filename": "model.onnx" } } }
        """;

    [Fact]
    public void Parse_Minimal_AppliesOrtGenAIDefaults()
    {
        GenAIConfig config = GenAIConfig.Parse(Minimal);

        GenAISearchOptions s = config.Search;
        Assert.Null(config.Path);
        Assert.False(s.DoSample);
        Assert.Equal(4096, s.MaxLength); // 0/absent → context_length
        Assert.Equal(0, s.MinLength);
        Assert.Equal(1, s.BatchSize);
        Assert.Equal(1, s.NumBeams);
        Assert.Equal(1, s.NumReturnSequences);
        Assert.Equal(50, s.TopK);
        Assert.Equal(1.0, s.TopP);
        Assert.Equal(1.0, s.Temperature);
        Assert.Equal(1.0, s.RepetitionPenalty);
        Assert.Equal(1.0, s.LengthPenalty);
        Assert.True(s.EarlyStopping);
        Assert.False(s.PastPresentShareBuffer);
        Assert.Equal(-1, s.RandomSeed);
        Assert.Null(s.ChunkSize);

        GenAIModelConfig m = config.Model;
        Assert.Equal([7], m.EosTokenIds); // absent eos → [pad_token_id]
        Assert.Equal(0, m.BosTokenId);
        Assert.Equal(string.Empty, m.TokenizerDirectory);
        GenAIDecoderInputNames i = m.Decoder.Inputs;
        Assert.Equal(
            ("input_ids", "inputs_embeds", "attention_mask", "position_ids", "past_key_values.%d.key", "past_key_values.%d.value"),
            (i.InputIds, i.InputsEmbeds, i.AttentionMask, i.PositionIds, i.PastKeyNames, i.PastValueNames));
        Assert.Null(i.PastNames);
        GenAIDecoderOutputNames o = m.Decoder.Outputs;
        Assert.Equal(("logits", "present.%d.key", "present.%d.value"), (o.Logits, o.PresentKeyNames, o.PresentValueNames));
        Assert.Null(o.PresentNames);
        Assert.Empty(m.Decoder.SessionOptions.ProviderOptions);
        Assert.Null(m.Decoder.SessionOptions.IntraOpNumThreads);
    }

    [Fact]
    public void Parse_FullSearchAndSession_ReadsEveryValue()
    {
        const string Json = """
            {
              "model": {
                "type": "phi3", "bos_token_id": 1, "eos_token_id": [200020, 199999], "pad_token_id": 199999,
                "vocab_size": 200064, "context_length": 131072, "tokenizer_dir": "tok",
                "decoder": {
                  "filename": "sub/model.onnx", "hidden_size": 3072, "num_attention_heads": 24,
                  "num_key_value_heads": 8, "num_hidden_layers": 32, "head_size": 128,
                  "session_options": {
                    "intra_op_num_threads": 4, "enable_cpu_mem_arena": false, "log_severity_level": 3,
                    "graph_optimization_level": "ORT_ENABLE_ALL", "session.intra_op.allow_spinning": "0",
                    "provider_options": [ { "dml": {} }, { "cuda": { "enable_cuda_graph": "0", "device_id": 1 } } ]
                  },
                  "run_options": { "gpu_graph_id": "-1" }
                }
              },
              "search": {
                "do_sample": true, "max_length": 2048, "min_length": 3, "top_k": 1, "top_p": 0.9, "temperature": 0.6,
                "repetition_penalty": 1.1, "num_beams": 2, "num_return_sequences": 2, "early_stopping": false,
                "past_present_share_buffer": true, "random_seed": 42, "no_repeat_ngram_size": 3,
                "length_penalty": 0.5, "diversity_penalty": 0.25, "batch_size": 4, "chunk_size": 256
              }
            }
            """;

        GenAIConfig config = GenAIConfig.Parse(Json, "/models/phi/genai_config.json");

        Assert.Equal("/models/phi/genai_config.json", config.Path);
        Assert.Equal([200020, 199999], config.Model.EosTokenIds);
        Assert.Equal("tok", config.Model.TokenizerDirectory);
        GenAIDecoderConfig d = config.Model.Decoder;
        Assert.Equal((3072, 24, 8, 32, 128), (d.HiddenSize, d.NumAttentionHeads, d.NumKeyValueHeads, d.NumHiddenLayers, d.HeadSize));
        Assert.Equal(4, d.SessionOptions.IntraOpNumThreads);
        Assert.False(d.SessionOptions.EnableCpuMemArena);
        Assert.Equal(3, d.SessionOptions.LogSeverityLevel);
        Assert.Equal("ORT_ENABLE_ALL", d.SessionOptions.GraphOptimizationLevel);
        Assert.Equal("0", d.SessionOptions.ConfigEntries["session.intra_op.allow_spinning"]);
        Assert.Equal(["dml", "cuda"], d.SessionOptions.ProviderOptions.Select(p => p.Name));
        Assert.Equal("1", d.SessionOptions.ProviderOptions[1].Options["device_id"]);
        Assert.Equal("-1", d.RunOptions["gpu_graph_id"]);

        GenAISearchOptions s = config.Search;
        Assert.True(s.DoSample);
        Assert.Equal((2048, 3, 1, 2, 2, 4, 256), (s.MaxLength, s.MinLength, s.TopK, s.NumBeams, s.NumReturnSequences, s.BatchSize, s.ChunkSize));
        Assert.Equal((0.9, 0.6, 1.1, 0.5, 0.25), (s.TopP, s.Temperature, s.RepetitionPenalty, s.LengthPenalty, s.DiversityPenalty));
        Assert.False(s.EarlyStopping);
        Assert.True(s.PastPresentShareBuffer);
        Assert.Equal((42, 3), (s.RandomSeed, s.NoRepeatNgramSize));
    }

    [Fact]
    public void Parse_IntegralDoubleAndZeroMaxLength_FollowOrtRules()
    {
        string json = Minimal.Replace("\"context_length\": 4096", "\"context_length\": 4096.0", StringComparison.Ordinal)
            .Replace("} } }", "} }, \"search\": { \"max_length\": 0 } }", StringComparison.Ordinal);

        GenAIConfig config = GenAIConfig.Parse(json);

        Assert.Equal(4096, config.Model.ContextLength);
        Assert.Equal(4096, config.Search.MaxLength);
    }

    [Fact]
    public void Parse_UnknownKeys_AreIgnoredWithWarningsNamingTheJsonPath()
    {
        const string Json = """
            { "model": { "type": "llama", "context_length": 8, "future_field": 1, "vision": {},
                         "decoder": { "filename": "m.onnx", "inputs": { "input_ids": "ids", "mystery": "x" } } },
              "search": { "min_p": 0.1 }, "speculative": {}, "comment": "hi" }
            """;
        var logger = new ListLogger();

        GenAIConfig config = GenAIConfig.Parse(Json, "cfg.json", logger);

        Assert.Equal("ids", config.Model.Decoder.Inputs.InputIds);
        string[] warnings = [.. logger.Warnings];
        Assert.Contains(warnings, w => w.Contains("$.model.future_field", StringComparison.Ordinal) && w.Contains("cfg.json", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("$.model.decoder.inputs.mystery", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("$.search.min_p", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("$.comment", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("$.model.vision", StringComparison.Ordinal) && w.Contains("not support", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("$.speculative", StringComparison.Ordinal));
        Assert.Equal(6, warnings.Length);
    }

    [Theory]
    [InlineData("""{ "model": { "type": "llama", "context_length": 8, "decoder": { "filename": "m.onnx" } }, """, "$", "not valid JSON")]
    [InlineData("""[1, 2]""", "$", "must be an object")]
    [InlineData("""{ "search": {} }""", "$.model", "is missing")]
    [InlineData("""{ "model": { "context_length": 8, "decoder": { "filename": "m.onnx" } } }""", "$.model.type", "missing")]
    [InlineData("""{ "model": { "type": "llama", "decoder": { "filename": "m.onnx" } } }""", "$.model.context_length", "positive")]
    [InlineData("""{ "model": { "type": "llama", "context_length": "8", "decoder": { "filename": "m.onnx" } } }""", "$.model.context_length", "integer")]
    [InlineData("""{ "model": { "type": "llama", "context_length": 8.5, "decoder": { "filename": "m.onnx" } } }""", "$.model.context_length", "integer")]
    [InlineData("""{ "model": { "type": "llama", "context_length": 3000000000, "decoder": { "filename": "m.onnx" } } }""", "$.model.context_length", "32 bits")]
    [InlineData("""{ "model": { "type": "llama", "context_length": 8 } }""", "$.model.decoder", "missing")]
    [InlineData("""{ "model": { "type": "llama", "context_length": 8, "decoder": {} } }""", "$.model.decoder.filename", "missing")]
    [InlineData("""{ "model": { "type": "llama", "context_length": 8, "decoder": { "filename": "../m.onnx" } } }""", "$.model.decoder.filename", "relative")]
    [InlineData("""{ "model": { "type": "llama", "context_length": 8, "decoder": { "filename": "/abs/m.onnx" } } }""", "$.model.decoder.filename", "relative")]
    [InlineData("""{ "model": { "type": "llama", "context_length": 8, "eos_token_id": [1, "2"], "decoder": { "filename": "m.onnx" } } }""", "$.model.eos_token_id[1]", "integer")]
    [InlineData("""{ "model": { "type": "llama", "context_length": 8, "decoder": { "filename": "m.onnx" } }, "search": { "do_sample": 1 } }""", "$.search.do_sample", "true or false")]
    [InlineData("""{ "model": { "type": "llama", "context_length": 8, "decoder": { "filename": "m.onnx" } }, "search": { "num_beams": 0 } }""", "$.search.num_beams", "positive")]
    [InlineData("""{ "model": { "type": "llama", "context_length": 8, "decoder": { "filename": "m.onnx", "session_options": { "provider_options": {} } } } }""", "$.model.decoder.session_options.provider_options", "array")]
    [InlineData("""{ "model": { "type": "llama", "context_length": 8, "decoder": { "filename": "m.onnx", "session_options": { "graph_optimization_level": "FAST" } } } }""", "$.model.decoder.session_options.graph_optimization_level", "ORT_ENABLE_ALL")]
    public void Parse_Malformed_ThrowsModelLoadExceptionWithFileAndJsonPath(string json, string jsonPath, string problem)
    {
        var ex = Assert.Throws<ModelLoadException>(() => GenAIConfig.Parse(json, "/m/genai_config.json"));

        Assert.Equal(SllmErrorKind.InvalidModel, ex.Kind);
        Assert.Equal("/m/genai_config.json", ex.Path);
        Assert.StartsWith(jsonPath, ex.JsonPath, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.Contains("/m/genai_config.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CommentsAndTrailingCommas_Accepted()
    {
        const string Json = """
            // written by hand
            { "model": { "type": "llama", "context_length": 8, "decoder": { "filename": "m.onnx", }, }, }
            """;

        Assert.Equal(8, GenAIConfig.Parse(Json).Model.ContextLength);
    }

    [Fact]
    public async Task LoadAsync_ReadsFolderAndReportsMissingFiles()
    {
        string dir = Directory.CreateTempSubdirectory("sllm-genai-").FullName;
        try
        {
            var missing = await Assert.ThrowsAsync<ModelLoadException>(() => GenAIConfig.LoadAsync(dir));
            Assert.Equal(Path.Combine(dir, GenAIConfig.FileName), missing.Path);
            Assert.Contains(GenAIConfig.FileName, missing.Message, StringComparison.Ordinal);

            await File.WriteAllTextAsync(Path.Combine(dir, GenAIConfig.FileName), Minimal);
            GenAIConfig config = await GenAIConfig.LoadAsync(dir);
            Assert.Equal("llama", config.Model.Type);
            Assert.Equal(Path.Combine(dir, GenAIConfig.FileName), config.Path);

            var noFolder = await Assert.ThrowsAsync<ModelLoadException>(() => GenAIConfig.LoadAsync(Path.Combine(dir, "nope")));
            Assert.Equal(SllmErrorKind.InvalidModel, noFolder.Kind);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task LoadAsync_BadArguments_Throw()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => GenAIConfig.LoadAsync(string.Empty));
        await Assert.ThrowsAsync<ArgumentNullException>(() => GenAIConfig.LoadAsync(null!));
        Assert.Throws<ArgumentNullException>(() => GenAIConfig.Parse(null!));
    }

    [Fact]
    public async Task LoadAsync_Cancelled_Throws()
    {
        string dir = Directory.CreateTempSubdirectory("sllm-genai-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, GenAIConfig.FileName), Minimal);
            using var cts = new CancellationTokenSource();
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => GenAIConfig.LoadAsync(dir, null, cts.Token));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
