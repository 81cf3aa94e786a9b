using System.Text.Json;
using Sllm.Onnx.Building;

namespace Sllm.Cli.Commands;

public sealed class GenerateSpeculationTests
{
    private static readonly Lazy<Task<string>> Model = new(async () =>
    {
        string dir = Path.Combine(Path.GetTempPath(), "sllm-cli-tests", Guid.NewGuid().ToString("N"));
        await OnnxModelBuilder.BuildAsync(dir, ModelBuilderOptions.Tiny(ModelFamily.Llama));
        return dir;
    });

    [Theory]
    [InlineData("--prompt-lookup")]
    [InlineData("--draft")]
    public async Task Generate_WithSpeculation_MatchesPlainAndReportsAcceptance(string flag)
    {
        string model = await Model.Value;
        string[] common = ["generate", model, "--input-ids", "5,6,7,5,6,7,5,6", "--max-length", "40", "--json"];
        (int exit, string plain, string error) = await RunAsync(common);
        Assert.True(exit == 0, error);
        string[] extra = flag == "--draft" ? [flag, model] : [flag];
        (exit, string fast, error) = await RunAsync([.. common, .. extra]);
        Assert.True(exit == 0, error);
        using JsonDocument plainJson = JsonDocument.Parse(plain);
        using JsonDocument fastJson = JsonDocument.Parse(fast);
        Assert.Equal(plainJson.RootElement.GetProperty("sequences").GetRawText(), fastJson.RootElement.GetProperty("sequences").GetRawText());
        Assert.False(plainJson.RootElement.TryGetProperty("speculative", out _));
        JsonElement counts = fastJson.RootElement.GetProperty("speculative");
        int drafted = counts.GetProperty("drafted_tokens").GetInt32();
        int accepted = counts.GetProperty("accepted_tokens").GetInt32();
        Assert.InRange(accepted, 0, drafted);
        if (flag == "--draft")
        {
            // The model drafting for itself is always right.
            Assert.Equal(drafted, accepted);
            Assert.True(accepted > 20);
        }
    }

    [Fact]
    public async Task Generate_SpeculationWithABatch_IsAUsageError()
    {
        (int exit, _, string error) = await RunAsync("generate", await Model.Value, "--input-ids", "1,2", "--input-ids", "3,4", "--prompt-lookup");
        Assert.Equal(2, exit);
        Assert.Contains("single prompt", error, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await SllmCommandLine.InvokeAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
