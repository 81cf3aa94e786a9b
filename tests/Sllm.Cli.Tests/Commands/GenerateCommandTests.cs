using System.Text.Json;
using Sllm.Onnx.Building;
using Sllm.Testing;

namespace Sllm.Cli.Commands;

public sealed class GenerateCommandTests
{
    private static readonly Lazy<Task<string>> Model = new(async () =>
    {
        string dir = Path.Combine(Path.GetTempPath(), "sllm-cli-tests", Guid.NewGuid().ToString("N"));
        await OnnxModelBuilder.BuildAsync(dir, ModelBuilderOptions.Tiny(ModelFamily.Llama));
        return dir;
    });

    [SharedFact]
    public async Task Generate_InputIdsBatch_ReproducesOrtGenAIsGreedyRows()
    {
        string gpt2 = SharedData.PathOf("fixtures", "ort-genai", "hf-internal-testing", "tiny-random-gpt2-fp32");
        (int exit, string output, string error) = await RunAsync("generate", gpt2, "--input-ids", "0,0,0,52", "--input-ids", "0,0,195,731", "--max-length", "10", "--json");
        Assert.True(exit == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement sequences = json.RootElement.GetProperty("sequences");
        Assert.Equal([0, 0, 0, 52, 204, 204, 204, 204, 204, 204], sequences[0].EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([0, 0, 195, 731, 731, 114, 114, 114, 114, 114], sequences[1].EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(8, json.RootElement.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(12, json.RootElement.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("text").GetArrayLength());
    }

    [Fact]
    public async Task Generate_Prompt_MaxNewTokens_ExtendsThePrompt()
    {
        (int exit, string output, string error) = await RunAsync("generate", await Model.Value, "--prompt", "Hello there", "--max-new-tokens", "5", "--json");
        Assert.True(exit == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        int input = json.RootElement.GetProperty("usage").GetProperty("input_tokens").GetInt32();
        int length = json.RootElement.GetProperty("sequences")[0].GetArrayLength();
        Assert.InRange(length, input + 1, input + 5);
        Assert.StartsWith("Hello there", json.RootElement.GetProperty("text")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_JsonSchema_PrintsOnlyJsonValidAgainstTheSchema()
    {
        string schema = Path.Combine(Path.GetTempPath(), $"sllm-cli-schema-{Guid.NewGuid():N}.json");
        File.WriteAllText(schema, """{"type":"object","properties":{"name":{"type":"string","maxLength":8},"n":{"type":"integer"},"ok":{"type":"boolean"}},"required":["name","n","ok"]}""");
        try
        {
            (int exit, string output, string error) = await RunAsync("generate", await Model.Value, "--prompt", "Hi", "--json-schema", schema, "--temperature", "1", "--seed", "4", "--max-new-tokens", "200");
            Assert.True(exit == 0, error);
            using JsonDocument json = JsonDocument.Parse(output);
            Assert.True(json.RootElement.GetProperty("name").GetString()!.Length <= 8);
            Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("n").ValueKind);

            File.WriteAllText(schema, """{"type":"object","properties":{"id":{"type":"string","pattern":"x"}}}""");
            (exit, _, error) = await RunAsync("generate", await Model.Value, "--prompt", "Hi", "--json-schema", schema);
            Assert.Equal(1, exit);
            Assert.Contains(schema, error, StringComparison.Ordinal);
            Assert.Contains("/properties/id/pattern", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(schema);
        }
    }

    [Fact]
    public async Task Generate_SeededSampling_Repeats()
    {
        string model = await Model.Value;
        string[] args = ["generate", model, "--input-ids", "5,6,7", "--max-length", "20", "--temperature", "1.2", "--top-k", "100", "--seed", "9", "--json"];
        (int _, string first, string _) = await RunAsync(args);
        (int _, string second, string _) = await RunAsync(args);
        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData("--max-length", "10")]
    [InlineData("--prompt", "x", "--input-ids", "1,2")]
    public async Task Generate_NeedsExactlyOnePromptSource(params string[] extra)
    {
        (int exit, _, string error) = await RunAsync(["generate", await Model.Value, .. extra]);
        Assert.Equal(2, exit);
        Assert.Contains("--prompt or --input-ids", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_BadIds_FailsWithOneLine()
    {
        (int exit, _, string error) = await RunAsync("generate", await Model.Value, "--input-ids", "1,x");
        Assert.Equal(1, exit);
        Assert.StartsWith("sllm generate:", error, StringComparison.Ordinal);
        Assert.Contains("'x'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_AnswersEachLineUntilAnEmptyOne()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var command = ChatCommand.Create(output, error, new StringReader("hi\nand again\n\n"));
        var root = new System.CommandLine.RootCommand { command };
        int exit = await root.Parse(["chat", await Model.Value, "--max-new-tokens", "4"]).InvokeAsync();
        Assert.True(exit == 0, error.ToString());
        Assert.Equal(3, output.ToString().Split("> ").Length - 1);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await SllmCommandLine.InvokeAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
