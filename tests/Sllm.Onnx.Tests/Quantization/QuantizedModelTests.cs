using Sllm.Onnx.Building;
using Sllm.Onnx.Engine;
using Xunit;

namespace Sllm.Onnx.Quantization;

/// <summary>Int4/int8 models written by the builder and by <see cref="OnnxQuantizer"/>: graph, bytes, loading and generation.</summary>
public sealed class QuantizedModelTests
{
    [Fact]
    public async Task Builder_writes_MatMulNBits_and_keeps_norms_and_embedding_float()
    {
        string path = await QuantizedModels.GetAsync("qwen2-int4", () => QuantizedModels.Tiny(ModelFamily.Qwen2, new QuantizationOptions()));
        OnnxFileReader.Model model = OnnxFileReader.Read(Path.Combine(path, "model.onnx"));
        Assert.DoesNotContain(model.Nodes, n => n.OpType == "MatMul");
        List<OnnxFileReader.Node> quantized = model.Nodes.Where(n => n.OpType == "MatMulNBits").ToList();
        Assert.Equal((2 * 5) + 1, quantized.Count);
        Assert.All(quantized, n =>
        {
            Assert.Equal("com.microsoft", n.Domain);
            Assert.Equal(4L, n.Attributes["bits"]);
            Assert.Equal(32L, n.Attributes["block_size"]);
            Assert.Equal(4L, n.Attributes["accuracy_level"]);
            Assert.Equal(4, n.Inputs.Count);
        });
        OnnxFileReader.Node head = quantized.Single(n => n.Outputs[0] == "logits");
        Assert.Equal(64L, head.Attributes["K"]);
        Assert.Equal("lm_head.MatMul.weight_Q4", head.Inputs[1]);

        // Qwen2's tied table: the Gather reads its own float table once the head is quantized.
        OnnxFileReader.Node gather = model.Nodes.Single(n => n.OpType == "Gather" && n.Inputs.Contains("input_ids"));
        OnnxFileReader.Initializer table = model.Initializers.Single(i => i.Name == gather.Inputs[0]);
        Assert.Equal(1, table.DataType);
        OnnxFileReader.Initializer qweight = model.Initializers.Single(i => i.Name == "lm_head.MatMul.weight_Q4");
        Assert.Equal(2, qweight.DataType);
        Assert.Equal([table.Dims[0], 2, 16], qweight.Dims);
        Assert.Equal([table.Dims[0], 2], model.Initializers.Single(i => i.Name == "lm_head.MatMul.weight_scales").Dims);
        Assert.Equal([table.Dims[0], 1], model.Initializers.Single(i => i.Name == "lm_head.MatMul.weight_zero_points").Dims);
        Assert.All(model.Initializers.Where(i => i.Name.Contains("layernorm", StringComparison.Ordinal)), i => Assert.Equal(1, i.DataType));
    }

    [Fact]
    public async Task Quantized_tied_model_counts_the_same_parameters_and_is_smaller()
    {
        using var directory = new TempDirectory("sllm-quant-count");
        ModelBuildResult floats = await OnnxModelBuilder.BuildAsync(directory.Sub("f32"), QuantizedModels.Tiny(ModelFamily.Qwen2, null));
        ModelBuildResult int8 = await OnnxModelBuilder.BuildAsync(directory.Sub("int8"), QuantizedModels.Tiny(ModelFamily.Qwen2, new QuantizationOptions { Bits = 8 }));
        Assert.Equal(floats.ParameterCount, int8.ParameterCount);
        Assert.True(int8.TotalBytes < floats.TotalBytes);
    }

    [Theory]
    [InlineData(4, false, 32, ModelPrecision.Float32)]
    [InlineData(4, true, 64, ModelPrecision.Float32)]
    [InlineData(8, false, 32, ModelPrecision.Float32)]
    [InlineData(4, false, 32, ModelPrecision.Float16)]
    public async Task Quantized_builder_models_load_and_generate_close_to_float(int bits, bool symmetric, int blockSize, ModelPrecision precision)
    {
        var quantization = new QuantizationOptions { Bits = bits, Symmetric = symmetric, BlockSize = blockSize };
        string floatPath = await QuantizedModels.GetAsync($"llama-{precision}", () => QuantizedModels.Tiny(ModelFamily.Llama, null, precision: precision));
        string path = await QuantizedModels.GetAsync($"llama-{bits}-{symmetric}-{blockSize}-{precision}",
            () => QuantizedModels.Tiny(ModelFamily.Llama, quantization, precision: precision));
        using OnnxModel reference = await TestModels.LoadAsync(floatPath);
        using OnnxModel model = await TestModels.LoadAsync(path);
        int[] prompt = [5, 17, 42, 99, 7, 3];
        int[] tokens = QuantizedModels.Greedy(model, prompt, 30);
        Assert.Equal(30, tokens.Length);

        // Same weights up to rounding: the first generated token agrees with the float model's.
        Assert.Equal(QuantizedModels.Greedy(reference, prompt, 7)[6], tokens[6]);
    }

    [Theory]
    [InlineData(ModelFamily.Llama, 4, false, 32)]
    [InlineData(ModelFamily.Qwen2, 4, true, 64)]
    [InlineData(ModelFamily.Phi3, 8, false, 16)]
    public async Task Quantizer_and_builder_write_identical_weight_bytes(ModelFamily family, int bits, bool symmetric, int blockSize)
    {
        var quantization = new QuantizationOptions { Bits = bits, Symmetric = symmetric, BlockSize = blockSize };
        string floatPath = await QuantizedModels.GetAsync($"{family}-f32", () => QuantizedModels.Tiny(family, null));
        string built = await QuantizedModels.GetAsync($"{family}-{bits}-{symmetric}-{blockSize}", () => QuantizedModels.Tiny(family, quantization));
        using var directory = new TempDirectory("sllm-quantize");
        QuantizationResult result = await OnnxQuantizer.QuantizeAsync(floatPath, directory.Path, quantization);

        OnnxFileReader.Model expected = OnnxFileReader.Read(Path.Combine(built, "model.onnx"));
        OnnxFileReader.Model actual = OnnxFileReader.Read(Path.Combine(directory.Path, "model.onnx"));
        List<OnnxFileReader.Initializer> quantized = expected.Initializers.Where(i => i.Name.Contains("MatMul.weight_", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected.Nodes.Count(n => n.OpType == "MatMulNBits"), result.QuantizedMatMuls);
        Assert.Equal(symmetric ? 2 : 3, quantized.Count / result.QuantizedMatMuls);
        foreach (OnnxFileReader.Initializer initializer in quantized)
        {
            OnnxFileReader.Initializer other = actual.Initializers.Single(i => i.Name == initializer.Name);
            Assert.Equal(initializer.Dims, other.Dims);
            Assert.True(QuantizedModels.Bytes(built, initializer).AsSpan().SequenceEqual(QuantizedModels.Bytes(directory.Path, other)), initializer.Name);
        }

        Assert.True(result.TargetBytes < result.SourceBytes);
        using OnnxModel fromBuilder = await TestModels.LoadAsync(built);
        using OnnxModel fromQuantizer = await TestModels.LoadAsync(directory.Path);
        int[] prompt = [5, 17, 42, 99, 7, 3];
        Assert.Equal(QuantizedModels.Greedy(fromBuilder, prompt, 24), QuantizedModels.Greedy(fromQuantizer, prompt, 24));
    }

    [Fact]
    public async Task Quantizer_can_leave_the_lm_head_float()
    {
        string floatPath = await QuantizedModels.GetAsync("Llama-f32", () => QuantizedModels.Tiny(ModelFamily.Llama, null));
        using var directory = new TempDirectory("sllm-quantize");
        QuantizationResult result = await OnnxQuantizer.QuantizeAsync(floatPath, directory.Path, new QuantizationOptions { QuantizeLmHead = false });
        OnnxFileReader.Model model = OnnxFileReader.Read(Path.Combine(directory.Path, "model.onnx"));
        Assert.Equal("MatMul", model.Nodes.Single(n => n.Outputs[0] == "logits").OpType);
        Assert.Equal(2 * 5, result.QuantizedMatMuls);
        Assert.True(File.Exists(Path.Combine(directory.Path, "genai_config.json")));
        Assert.True(File.Exists(Path.Combine(directory.Path, "tokenizer.json")));
        using OnnxModel loaded = await TestModels.LoadAsync(directory.Path);
        Assert.Equal(16, QuantizedModels.Greedy(loaded, [1, 2, 3], 16).Length);
    }
}
