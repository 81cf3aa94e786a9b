using Sllm.Onnx;

namespace Sllm.Cli.Commands;

public sealed class QuantizeCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"sllm-quantize-{Guid.NewGuid():N}");

    public QuantizeCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Quantize_Writes_Loadable_Folder_And_Prints_OneLine_Summary()
    {
        string source = Path.Combine(_root, "fp32");
        string target = Path.Combine(_root, "int8");
        (int built, _, string buildError) = await RunAsync("build-model", source, "--layers", "1");
        Assert.True(built == 0, buildError);

        (int code, string output, string error) = await RunAsync("quantize", source, "--out", target, "--bits", "8", "--block-size", "64", "--symmetric");

        Assert.True(code == 0, error);
        string line = output.TrimEnd();
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith(target + ": int8, block 64, symmetric, accuracy level 4, 6 MatMuls quantized, ", line, StringComparison.Ordinal);
        using OnnxModel model = await OnnxModel.CreateAsync(target);
        Assert.Equal(1, model.Config.Model.Decoder.NumHiddenLayers);
    }

    [Fact]
    public async Task BuildModel_Bits_Writes_A_Quantized_Model()
    {
        string dir = Path.Combine(_root, "int4");
        (int code, string output, string error) = await RunAsync("build-model", dir, "--layers", "1", "--bits", "4");

        Assert.True(code == 0, error);
        Assert.Contains(", fp32 int4, ", output, StringComparison.Ordinal);
        byte[] graph = await File.ReadAllBytesAsync(Path.Combine(dir, "model.onnx"));
        Assert.True(graph.AsSpan().IndexOf("MatMulNBits"u8) >= 0);
    }

    [Fact]
    public async Task Quantize_Folder_Without_Onnx_Is_OneLine_Error()
    {
        string empty = Path.Combine(_root, "empty");
        Directory.CreateDirectory(empty);

        (int code, _, string error) = await RunAsync("quantize", empty, "--out", Path.Combine(_root, "out"));

        Assert.Equal(1, code);
        Assert.StartsWith("sllm quantize: ", error, StringComparison.Ordinal);
        Assert.Contains("has no .onnx file", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quantize_Unsupported_Bits_Is_Parse_Error()
    {
        (int code, _, string error) = await RunAsync("quantize", _root, "--out", Path.Combine(_root, "out"), "--bits", "3");

        Assert.Equal(2, code);
        Assert.Contains("3", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await SllmCommandLine.InvokeAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
