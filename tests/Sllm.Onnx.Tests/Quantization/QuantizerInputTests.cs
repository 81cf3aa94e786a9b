using Sllm.Onnx.Building;
using Sllm.Onnx.Engine;
using Sllm.Testing;
using Xunit;

namespace Sllm.Onnx.Quantization;

/// <summary><see cref="OnnxQuantizer"/> on real ORT GenAI exports and on inputs it must refuse.</summary>
public sealed class QuantizerInputTests
{
    public static TheoryData<string> Fixtures => new() { "tiny-random-gpt2-fp32", "tiny-random-gpt2-fp16-cuda", "tiny-qwen35-cuda", "tiny-random-lfm2-fp32" };

    [SharedTheory]
    [MemberData(nameof(Fixtures))]
    public async Task Ort_genai_exports_round_trip_and_generate(string name)
    {
        string source = SharedData.PathOf("fixtures", "ort-genai", "hf-internal-testing", name);
        using var directory = new TempDirectory("sllm-quantize-fixture");
        QuantizationResult result = await OnnxQuantizer.QuantizeAsync(source, directory.Path, new QuantizationOptions { Bits = 8, BlockSize = 16 });
        Assert.True(result.QuantizedMatMuls > 0);

        // Unknown operators (Attention, GroupQueryAttention, SkipLayerNormalization, ...) come back unchanged.
        OnnxFileReader.Model before = OnnxFileReader.Read(Directory.GetFiles(source, "*.onnx").Single());
        OnnxFileReader.Model after = OnnxFileReader.Read(Directory.GetFiles(directory.Path, "*.onnx").Single());
        Assert.Equal(before.Nodes.Count, after.Nodes.Count);
        Assert.Equal(before.Nodes.Count(n => n.OpType == "MatMul") - result.QuantizedMatMuls, after.Nodes.Count(n => n.OpType == "MatMul"));
        Assert.Equal(
            before.Nodes.Where(n => n.OpType != "MatMul").Select(n => (n.Name, n.OpType, string.Join(',', n.Inputs))),
            after.Nodes.Where(n => n.OpType is not ("MatMul" or "MatMulNBits")).Select(n => (n.Name, n.OpType, string.Join(',', n.Inputs))));

        using OnnxModel reference = await Engine.Fixtures.LoadAsync(source);
        using OnnxModel model = await Engine.Fixtures.LoadAsync(directory.Path);
        int[] prompt = [0, 0, 195, 731];
        int[] expected = Engine.Fixtures.Greedy(reference, prompt, 10);
        int[] actual = Engine.Fixtures.Greedy(model, prompt, 10);
        Assert.Equal(expected.Length, actual.Length);
    }

    [Fact]
    public async Task Folder_without_onnx_files_names_the_folder()
    {
        using var directory = new TempDirectory("sllm-quantize-empty");
        var error = await Assert.ThrowsAsync<QuantizationException>(() => OnnxQuantizer.QuantizeAsync(directory.Path, directory.Sub("out"), new QuantizationOptions()));
        Assert.Equal(directory.Path, error.Path);
        Assert.Equal(SllmErrorKind.InvalidModel, error.Kind);
        Assert.Contains("no .onnx file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Already_quantized_model_names_the_node()
    {
        string path = await QuantizedModels.GetAsync("qwen2-int4", () => QuantizedModels.Tiny(ModelFamily.Qwen2, new QuantizationOptions()));
        using var directory = new TempDirectory("sllm-quantize-twice");
        var error = await Assert.ThrowsAsync<QuantizationException>(() => OnnxQuantizer.QuantizeAsync(path, directory.Path, new QuantizationOptions()));
        Assert.EndsWith("model.onnx", error.Path, StringComparison.Ordinal);
        Assert.Contains("already quantized", error.Message, StringComparison.Ordinal);
        Assert.Contains("MatMulNBits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Integer_weight_names_the_initializer_and_its_type()
    {
        using var directory = new TempDirectory("sllm-quantize-int");
        var weight = OnnxTensor.Inline("W", OnnxDataType.Int32, [4, 4], new byte[64]);
        var node = new OnnxNode("/mm/MatMul", "MatMul", string.Empty, ["A", "W"], ["Y"], []);
        var graph = new OnnxGraph("g", [node], [weight], [new OnnxValueInfo("A", OnnxDataType.Int32, [1, 4])], [new OnnxValueInfo("Y", OnnxDataType.Int32, [1, 4])]);
        using (FileStream stream = File.Create(directory.Sub("model.onnx")))
        {
            new Building.OnnxModel(10, "test", "1", graph, [new OnnxOperatorSet(string.Empty, 21)]).WriteTo(stream);
        }

        var error = await Assert.ThrowsAsync<QuantizationException>(() => OnnxQuantizer.QuantizeAsync(directory.Path, directory.Sub("out"), new QuantizationOptions()));
        Assert.Contains("'W'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'/mm/MatMul'", error.Message, StringComparison.Ordinal);
        Assert.Contains("data type 6", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Same_folder_and_bad_options_are_argument_errors()
    {
        string path = await QuantizedModels.GetAsync("Llama-f32", () => QuantizedModels.Tiny(ModelFamily.Llama, null));
        await Assert.ThrowsAsync<ArgumentException>("targetDirectory", () => OnnxQuantizer.QuantizeAsync(path, path + Path.DirectorySeparatorChar, new QuantizationOptions()));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("BlockSize", () => OnnxQuantizer.QuantizeAsync(path, path + "-q", new QuantizationOptions { BlockSize = 48 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("Bits", () => OnnxQuantizer.QuantizeAsync(path, path + "-q", new QuantizationOptions { Bits = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>("AccuracyLevel", () => new QuantizationOptions { AccuracyLevel = 5 }.Validate());
    }
}
