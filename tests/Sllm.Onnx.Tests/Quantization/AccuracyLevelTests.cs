using Sllm.Onnx.Building;
using Sllm.Onnx.Engine;
using Xunit;

namespace Sllm.Onnx.Quantization;

/// <summary><see cref="OnnxModelOptions.MatMulNBitsAccuracyLevel"/>: a load-time override equals building at that level.</summary>
public sealed class AccuracyLevelTests
{
    [Fact]
    public async Task Override_at_load_equals_the_level_written_at_build()
    {
        string fast = await QuantizedModels.GetAsync("level-4", () => QuantizedModels.Tiny(ModelFamily.Llama, new QuantizationOptions { AccuracyLevel = 4 }));
        string exact = await QuantizedModels.GetAsync("level-1", () => QuantizedModels.Tiny(ModelFamily.Llama, new QuantizationOptions { AccuracyLevel = 1 }));
        int[] prompt = [5, 17, 42, 99, 7, 3];
        float[] written = await PromptLogitsAsync(exact, null);
        float[] overridden = await PromptLogitsAsync(fast, 1);
        float[] asWritten = await PromptLogitsAsync(fast, null);

        Assert.Equal(written, overridden);

        // Level 4 quantizes activations to int8, so its logits differ from the float-activation path.
        Assert.NotEqual(written, asWritten);
        Assert.Equal(asWritten, await PromptLogitsAsync(exact, 4));

        async Task<float[]> PromptLogitsAsync(string path, int? level)
        {
            using OnnxModel model = await TestModels.LoadAsync(path, o => o.MatMulNBitsAccuracyLevel = level);
            using Generator generator = model.CreateGenerator(new GeneratorOptions { MaxLength = 16 });
            generator.AppendTokens(prompt);
            return generator.GetLogits(0).ToArray();
        }
    }

    [Fact]
    public async Task Override_leaves_float_models_alone_and_rejects_bad_levels()
    {
        string path = await QuantizedModels.GetAsync("Llama-f32", () => QuantizedModels.Tiny(ModelFamily.Llama, null));
        using OnnxModel model = await TestModels.LoadAsync(path, o => o.MatMulNBitsAccuracyLevel = 1);
        Assert.Equal(8, QuantizedModels.Greedy(model, [1, 2, 3], 8).Length);
        Assert.Null(AccuracyLevelOverride.Rewrite(await File.ReadAllBytesAsync(Path.Combine(path, "model.onnx")), 1));
        Assert.Throws<ArgumentOutOfRangeException>("MatMulNBitsAccuracyLevel", () => new OnnxModelOptions { MatMulNBitsAccuracyLevel = 7 }.Validate());
    }
}
