using Sllm.Onnx.Building;
using Sllm.Onnx.Engine;

namespace Sllm.Onnx.Lora;

public sealed class PeftConversionTests
{
    [Theory]
    [InlineData(false, "F32", true)]
    [InlineData(true, "F32", true)]
    [InlineData(false, "F16", false)]
    public async Task AConvertedPeftAdapterEqualsTheSameWeightsMergedIntoTheBase(bool rsLora, string dtype, bool fused)
    {
        var checkpoint = new PeftCheckpoint(rank: 4, alpha: 8, rsLora, seed: 11,
            ("model.layers.0.self_attn.q_proj", 64, 64),
            ("model.layers.0.self_attn.v_proj", 64, 32),
            ("model.layers.1.self_attn.k_proj", 64, 32),
            ("model.layers.1.self_attn.o_proj", 64, 64),
            ("model.layers.0.mlp.down_proj", 128, 64),
            ("model.layers.1.mlp.gate_proj", 64, 128));
        if (dtype == "F16")
        {
            checkpoint.RoundToHalf();
        }

        string root = Path.Combine(Path.GetTempPath(), "sllm-peft", Guid.NewGuid().ToString("N"));
        try
        {
            checkpoint.Write(Path.Combine(root, "peft"), dtype);
            ModelBuilderOptions baseOptions = LoraTestModels.Options(fused, LoraTargetModules.All);
            baseOptions.WeightSource = checkpoint.Weights(merged: false);
            await OnnxModelBuilder.BuildAsync(Path.Combine(root, "base"), baseOptions);
            ModelBuilderOptions mergedOptions = LoraTestModels.Options(fused, LoraTargetModules.None);
            mergedOptions.WeightSource = checkpoint.Weights(merged: true);
            await OnnxModelBuilder.BuildAsync(Path.Combine(root, "merged"), mergedOptions);

            using OnnxModel baseModel = await TestModels.LoadAsync(Path.Combine(root, "base"));
            using OnnxModel merged = await TestModels.LoadAsync(Path.Combine(root, "merged"));
            string adapterFile = Path.Combine(root, "adapter.onnx_adapter");
            OnnxAdapterFile converted = await LoraAdapterConverter.ConvertPeftToFileAsync(Path.Combine(root, "peft"), baseModel, adapterFile);
            Assert.Equal(12, converted.Parameters.Count);
            Assert.Contains(converted.Parameters, p => p.Name == "model.layers.0.self_attn.q_proj.lora_A.weight" && p.Dimensions.SequenceEqual([64L, 4L]));

            using LoraAdapter adapter = await LoraAdapter.LoadAsync(adapterFile);
            float[] expected = LoraTestModels.PromptLogits(merged, null);
            float[] actual = LoraTestModels.PromptLogits(baseModel, adapter);
            Assert.True(LoraTestModels.MaxDifference(expected, actual) < 1e-4f, $"max difference {LoraTestModels.MaxDifference(expected, actual)}");
            Assert.True(LoraTestModels.MaxDifference(LoraTestModels.PromptLogits(baseModel, null), actual) > 1e-3f);
            Assert.Equal(LoraTestModels.Greedy(merged, null, 8), LoraTestModels.Greedy(baseModel, adapter, 8));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task UnsupportedPeftSettingsAndMissingTargetsFailNamingTheField()
    {
        using OnnxModel model = await TestModels.LoadAsync(await TestModels.GetAsync("lora-attn", () => LoraTestModels.Options(true, LoraTargetModules.Attention)));
        string root = Path.Combine(Path.GetTempPath(), "sllm-peft", Guid.NewGuid().ToString("N"));
        try
        {
            var mlp = new PeftCheckpoint(2, 4, false, 1, ("model.layers.0.mlp.up_proj", 64, 128));
            mlp.Write(root);
            var error = await Assert.ThrowsAsync<LoraAdapterException>(() => LoraAdapterConverter.ConvertPeftAsync(root, model));
            Assert.Contains("LoraTargets", error.Message, StringComparison.Ordinal);

            string config = Path.Combine(root, "adapter_config.json");
            File.WriteAllText(config, """{"peft_type":"LORA","r":2,"lora_alpha":4,"use_dora":true}""");
            error = await Assert.ThrowsAsync<LoraAdapterException>(() => LoraAdapterConverter.ConvertPeftAsync(root, model));
            Assert.Equal("use_dora", error.Tensor);

            File.Delete(config);
            error = await Assert.ThrowsAsync<LoraAdapterException>(() => LoraAdapterConverter.ConvertPeftAsync(root, model));
            Assert.Contains("adapter_config.json", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
