using Sllm.Onnx;

namespace Sllm.Cli.Commands;

public sealed class BuildModelCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"sllm-build-model-{Guid.NewGuid():N}");

    public BuildModelCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task BuildModel_Writes_Folder_And_Prints_OneLine_Summary()
    {
        string dir = Path.Combine(_root, "qwen");
        (int code, string output, string error) = await RunAsync("build-model", dir, "--family", "qwen2", "--layers", "1", "--seed", "3");

        Assert.True(code == 0, error);
        string line = output.TrimEnd();
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith(dir + ": qwen2, 1 layers, hidden 64, fp32, ", line, StringComparison.Ordinal);
        Assert.EndsWith(" bytes", line, StringComparison.Ordinal);
        Assert.Contains(" parameters, ", line, StringComparison.Ordinal);
        foreach (string file in new[] { "model.onnx", "model.onnx.data", "genai_config.json", "tokenizer.json", "tokenizer_config.json" })
        {
            Assert.True(File.Exists(Path.Combine(dir, file)), file);
        }

        GenAIConfig config = await GenAIConfig.LoadAsync(dir);
        Assert.Equal("qwen2", config.Model.Type);
        Assert.Equal(1, config.Model.Decoder.NumHiddenLayers);
    }

    [Fact]
    public async Task BuildModel_Shape_Options_Reach_The_Config()
    {
        string dir = Path.Combine(_root, "custom");
        (int code, _, string error) = await RunAsync(
            "build-model", dir, "--family", "mistral", "--hidden-size", "128", "--heads", "4", "--kv-heads", "1", "--intermediate-size", "96",
            "--vocab-size", "1000", "--context-length", "64", "--precision", "fp16", "--unfused-rotary");

        Assert.True(code == 0, error);
        GenAIConfig config = await GenAIConfig.LoadAsync(dir);
        Assert.Equal("mistral", config.Model.Type);
        Assert.Equal((128, 32, 4, 1), (config.Model.Decoder.HiddenSize, config.Model.Decoder.HeadSize, config.Model.Decoder.NumAttentionHeads, config.Model.Decoder.NumKeyValueHeads));
        Assert.Equal((1000, 64), (config.Model.VocabSize, config.Model.ContextLength));
        Assert.Contains("\"position_ids\"", await File.ReadAllTextAsync(Path.Combine(dir, "genai_config.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildModel_Copying_Preset_Writes_A_Model_That_Repeats_Its_Context()
    {
        string dir = Path.Combine(_root, "copying");
        (int code, string output, string error) = await RunAsync("build-model", dir, "--preset", "copying", "--layers", "2", "--intermediate-size", "64");

        Assert.True(code == 0, error);
        Assert.StartsWith(dir + ": llama, 2 layers, hidden 512, fp32, ", output, StringComparison.Ordinal);

        // "a b c d e f" twice, then "a b c": the model continues "d e f" as in its context.
        (code, output, error) = await RunAsync("generate", dir, "--input-ids", "70,71,72,73,74,75,70,71,72,73,74,75,70,71,72", "--max-length", "18", "--json");
        Assert.True(code == 0, error);
        Assert.Contains("70,71,72,73,74,75,70,71,72,73,74,75,70,71,72,73,74,75", output.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal).ReplaceLineEndings(string.Empty), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildModel_Copying_Preset_With_A_Shape_It_Cannot_Hold_Is_OneLine_Error()
    {
        (int code, _, string error) = await RunAsync("build-model", Path.Combine(_root, "long"), "--preset", "copying", "--context-length", "4096");

        Assert.Equal(1, code);
        Assert.StartsWith("sllm build-model: ", error, StringComparison.Ordinal);
        Assert.Contains("ContextLength is 4096, above 2048", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildModel_Invalid_Shape_Is_OneLine_Error()
    {
        (int code, _, string error) = await RunAsync("build-model", Path.Combine(_root, "bad"), "--heads", "3");

        Assert.Equal(1, code);
        string message = error.TrimEnd();
        Assert.DoesNotContain('\n', message);
        Assert.StartsWith("sllm build-model: ", message, StringComparison.Ordinal);
        Assert.Contains("NumKeyValueHeads", message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "bad")));
    }

    [Fact]
    public async Task BuildModel_OutputIsFile_Is_OneLine_Error()
    {
        string file = Path.Combine(_root, "file");
        await File.WriteAllTextAsync(file, "x");

        (int code, _, string error) = await RunAsync("build-model", file);

        Assert.Equal(1, code);
        Assert.StartsWith("sllm build-model: ", error, StringComparison.Ordinal);
        Assert.Contains("is a file", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildModel_Unknown_Preset_Is_Parse_Error()
    {
        (int code, _, string error) = await RunAsync("build-model", Path.Combine(_root, "x"), "--preset", "huge");

        Assert.Equal(2, code);
        Assert.Contains("huge", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await SllmCommandLine.InvokeAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
