using Microsoft.ML.OnnxRuntime;
using Sllm.Onnx.Building;
using Sllm.Onnx.Engine;

namespace Sllm.Onnx.Lora;

public sealed class LoraAdapterTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task BaseWithLoraInputsAndNoAdapterEqualsThePlainModel(bool fused)
    {
        string plainPath = await TestModels.GetAsync(fused ? "lora-plain" : "lora-plain-split", () => LoraTestModels.Options(fused, LoraTargetModules.None));
        using OnnxModel plain = await TestModels.LoadAsync(plainPath);
        using OnnxModel lora = await TestModels.LoadAsync(await LoraTestModels.BaseAsync(fused));

        Assert.Empty(plain.Graph.AdapterInputs);
        Assert.Equal(2 * 7 * 2, lora.Graph.AdapterInputs.Count);
        Assert.Contains("model.layers.1.self_attn.q_proj.lora_A.weight", lora.Graph.AdapterInputs.Keys);
        Assert.Equal(LoraTestModels.PromptLogits(plain, null), LoraTestModels.PromptLogits(lora, null));
        Assert.Equal(LoraTestModels.Greedy(plain, null, 8), LoraTestModels.Greedy(lora, null, 8));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AZeroAdapterEqualsTheBaseModelExactly(bool fused)
    {
        using OnnxModel model = await TestModels.LoadAsync(await LoraTestModels.BaseAsync(fused));
        using LoraAdapter zero = LoraAdapter.Create(LoraTestModels.RandomAdapter(model, rank: 4, seed: 1, bScale: 0f));

        Assert.Equal(LoraTestModels.PromptLogits(model, null), LoraTestModels.PromptLogits(model, zero));
        Assert.Equal(LoraTestModels.Greedy(model, null, 8), LoraTestModels.Greedy(model, zero, 8));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnAdapterChangesTheLogits(bool fused)
    {
        using OnnxModel model = await TestModels.LoadAsync(await LoraTestModels.BaseAsync(fused));
        using LoraAdapter adapter = LoraAdapter.Create(LoraTestModels.RandomAdapter(model, rank: 4, seed: 2));

        float[] baseLogits = LoraTestModels.PromptLogits(model, null);
        float[] adapted = LoraTestModels.PromptLogits(model, adapter);
        Assert.True(LoraTestModels.MaxDifference(baseLogits, adapted) > 1e-2f);

        // Decode steps (the bound path) see the adapter too: the same adapter gives the same tokens twice.
        Assert.Equal(LoraTestModels.Greedy(model, adapter, 8), LoraTestModels.Greedy(model, adapter, 8));
    }

    [Fact]
    public async Task Float16BaseModelsTakeFloat16Adapters()
    {
        string path = await TestModels.GetAsync("lora-fp16", () =>
        {
            ModelBuilderOptions options = LoraTestModels.Options(true, LoraTargetModules.Attention);
            options.Precision = ModelPrecision.Float16;
            return options;
        });
        using OnnxModel model = await TestModels.LoadAsync(path);
        Assert.All(model.Graph.AdapterInputs.Values, input => Assert.Equal(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float16, input.ElementDataType));
        using LoraAdapter zero = LoraAdapter.Create(LoraTestModels.RandomAdapter(model, rank: 4, seed: 1, bScale: 0f));
        using LoraAdapter adapter = LoraAdapter.Create(LoraTestModels.RandomAdapter(model, rank: 4, seed: 2, bScale: 1f));

        float[] baseLogits = LoraTestModels.PromptLogits(model, null);
        Assert.Equal(baseLogits, LoraTestModels.PromptLogits(model, zero));
        Assert.True(LoraTestModels.MaxDifference(baseLogits, LoraTestModels.PromptLogits(model, adapter)) > 1e-2f);
    }

    [Fact]
    public async Task DecodeStepsWithTheAdapterMatchAFullRecomputeOfTheSequence()
    {
        using OnnxModel model = await TestModels.LoadAsync(await LoraTestModels.BaseAsync());
        using LoraAdapter adapter = LoraAdapter.Create(LoraTestModels.RandomAdapter(model, rank: 8, seed: 3));

        int[] sequence = LoraTestModels.Greedy(model, adapter, 6);
        using Generator incremental = model.CreateGenerator(new GeneratorOptions { MaxLength = 32, Adapter = adapter });
        incremental.AppendTokens(sequence.AsSpan(0, sequence.Length - 1).ToArray());
        incremental.AppendTokens([sequence[^1]]);
        float[] full = LoraTestModels.PromptLogits(model, adapter, sequence);
        Assert.True(LoraTestModels.MaxDifference(full, incremental.GetLogits(0)) < 1e-4f);
    }

    [Fact]
    public async Task OurAdapterFileLoadsThroughOnnxRuntimeAndGivesTheSameLogits()
    {
        string modelPath = await LoraTestModels.BaseAsync();
        using OnnxModel model = await TestModels.LoadAsync(modelPath);
        string file = Path.Combine(Path.GetTempPath(), $"sllm-lora-{Guid.NewGuid():N}.onnx_adapter");
        try
        {
            await LoraTestModels.RandomAdapter(model, rank: 4, seed: 4).WriteAsync(file);
            using LoraAdapter ours = await LoraAdapter.LoadAsync(file);
            float[] expected = LoraTestModels.PromptLogits(model, ours);

            using var session = new InferenceSession(model.ModelFile);
            using var ortAdapter = OrtLoraAdapter.Create(file, null);
            using var runOptions = new RunOptions();
            runOptions.AddActiveLoraAdapter(ortAdapter);
            float[] actual = RunPlain(session, runOptions, model);
            Assert.True(LoraTestModels.MaxDifference(expected, actual) < 1e-5f, $"max difference {LoraTestModels.MaxDifference(expected, actual)}");

            // Without the adapter ONNX Runtime computes the base model, which differs.
            using var plainOptions = new RunOptions();
            Assert.True(LoraTestModels.MaxDifference(RunPlain(session, plainOptions, model), actual) > 1e-2f);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AnAdapterWrittenAndReadBackKeepsEveryField()
    {
        using OnnxModel model = await TestModels.LoadAsync(await LoraTestModels.BaseAsync());
        OnnxAdapterFile original = LoraTestModels.RandomAdapter(model, rank: 3, seed: 5);
        original.AdapterVersion = 7;
        original.ModelVersion = 9;
        OnnxAdapterFile read = OnnxAdapterFile.Parse(original.ToArray());

        Assert.Equal(7, read.AdapterVersion);
        Assert.Equal(9, read.ModelVersion);
        Assert.Equal(original.Parameters.Count, read.Parameters.Count);
        for (int i = 0; i < read.Parameters.Count; i++)
        {
            Assert.Equal(original.Parameters[i].Name, read.Parameters[i].Name);
            Assert.Equal(original.Parameters[i].Dimensions, read.Parameters[i].Dimensions);
            Assert.Equal(original.Parameters[i].Data.ToArray(), read.Parameters[i].Data.ToArray());
        }
    }

    [Fact]
    public async Task AnAdapterThatDoesNotFitTheModelFailsNamingTheTensor()
    {
        using OnnxModel model = await TestModels.LoadAsync(await LoraTestModels.BaseAsync());
        using LoraAdapter unknown = LoraAdapter.Create(new OnnxAdapterFile([LoraParameter.FromSingles("model.layers.9.self_attn.q_proj.lora_A.weight", [64, 1], new float[64])]));
        var error = Assert.Throws<LoraAdapterException>(() => model.CreateGenerator(new GeneratorOptions { Adapter = unknown }));
        Assert.Equal("model.layers.9.self_attn.q_proj.lora_A.weight", error.Tensor);

        using LoraAdapter wrongShape = LoraAdapter.Create(new OnnxAdapterFile([LoraParameter.FromSingles("model.layers.0.self_attn.q_proj.lora_A.weight", [32, 2], new float[64])]));
        error = Assert.Throws<LoraAdapterException>(() => model.CreateGenerator(new GeneratorOptions { Adapter = wrongShape }));
        Assert.Contains("[32, 2]", error.Message, StringComparison.Ordinal);

        using LoraAdapter wrongType = LoraAdapter.Create(new OnnxAdapterFile([LoraParameter.FromSingles("model.layers.0.self_attn.q_proj.lora_A.weight", [64, 1], new float[64], LoraDataType.Float16)]));
        Assert.Throws<LoraAdapterException>(() => model.CreateGenerator(new GeneratorOptions { Adapter = wrongType }));
    }

    [Fact]
    public void NotAnAdapterFileIsRejected()
    {
        Assert.Throws<LoraAdapterException>(() => OnnxAdapterFile.Parse("not a flatbuffer at all"u8.ToArray()));
        byte[] valid = new OnnxAdapterFile([LoraParameter.FromSingles("x", [2], [1f, 2f])]).ToArray();
        Assert.Throws<LoraAdapterException>(() => OnnxAdapterFile.Parse(valid.AsSpan(0, valid.Length - 6).ToArray()));
    }

    [Fact]
    public async Task DisposingAnAdapterWhileAGeneratorUsesItIsSafe()
    {
        using OnnxModel model = await TestModels.LoadAsync(await LoraTestModels.BaseAsync());
        LoraAdapter adapter = LoraAdapter.Create(LoraTestModels.RandomAdapter(model, rank: 4, seed: 6));
        float[] expected = LoraTestModels.PromptLogits(model, adapter);
        using Generator generator = model.CreateGenerator(new GeneratorOptions { MaxLength = 32, Adapter = adapter });
        adapter.Dispose();
        generator.AppendTokens(LoraTestModels.Prompt);
        Assert.Equal(expected, generator.GetLogits(0).ToArray());
        generator.GenerateNextToken();
        Assert.Throws<ObjectDisposedException>(() => model.CreateGenerator(new GeneratorOptions { Adapter = adapter }));
    }

    // One prompt pass through a plain session: ONNX Runtime applies active adapters only here, not with IoBinding.
    internal static float[] RunPlain(InferenceSession session, RunOptions runOptions, OnnxModel model)
    {
        int[] prompt = LoraTestModels.Prompt;
        var values = new List<OrtValue>();
        var names = new List<string>();
        try
        {
            names.Add("input_ids");
            values.Add(OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(prompt, t => (long)t), [1, prompt.Length]));
            names.Add("attention_mask");
            values.Add(OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, prompt.Length).ToArray(), [1, prompt.Length]));
            for (int layer = 0; layer < model.Graph.KvLayers.Count; layer++)
            {
                foreach (string kind in new[] { "key", "value" })
                {
                    names.Add($"past_key_values.{layer}.{kind}");
                    values.Add(OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), [1, model.Graph.KvHeads, 0, model.Graph.HeadSize]));
                }
            }

            using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, names, values, ["logits"]);
            ReadOnlySpan<float> logits = outputs[0].GetTensorDataAsSpan<float>();
            int vocab = model.VocabularySize;
            return logits.Slice((prompt.Length - 1) * vocab, vocab).ToArray();
        }
        finally
        {
            foreach (OrtValue value in values)
            {
                value.Dispose();
            }
        }
    }
}
