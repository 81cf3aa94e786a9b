namespace Sllm.Cli.Commands;

public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_EmbeddedDefault_StreamsAChatFromABuiltModel()
    {
        string cache = Path.Combine(Path.GetTempPath(), "sllm-demo-cache-" + Guid.NewGuid().ToString("N"));
        Environment.SetEnvironmentVariable("SLLM_CACHE_DIR", cache);
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            int exitCode = await SllmCommandLine.InvokeAsync(["demo", "--prompt", "Wie ist das Wetter in Zürich? 🌦", "--max-new-tokens", "12"], output, error);
            string text = output.ToString();
            Assert.True(exitCode == 0, error.ToString());
            Assert.Contains("built the default model", text, StringComparison.Ordinal);
            Assert.Contains("random weights", text, StringComparison.Ordinal);
            Assert.Contains("user: Wie ist das Wetter in Zürich? 🌦", text, StringComparison.Ordinal);
            Assert.Matches(@"tokens: \d+ in, \d+ out", text);
            Assert.True(File.Exists(Path.Combine(cache, "models", "demo-qwen2-tiny-v2", "genai_config.json")));

            // The second run reuses the cached model.
            using var again = new StringWriter();
            Assert.Equal(0, await SllmCommandLine.InvokeAsync(["demo", "--max-new-tokens", "4"], again, error));
            Assert.DoesNotContain("built the default model", again.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SLLM_CACHE_DIR", null);
            Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public async Task Demo_MissingModelFolder_FailsWithOneLine()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await SllmCommandLine.InvokeAsync(["demo", Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid())], output, error);
        string message = error.ToString().TrimEnd();
        Assert.Equal(1, exitCode);
        Assert.StartsWith("sllm demo:", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public async Task Demo_EmptyModelFolder_FailsWithOneLine()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await SllmCommandLine.InvokeAsync(["demo", ""], output, error);
        string message = error.ToString().TrimEnd();
        Assert.NotEqual(0, exitCode);
        Assert.StartsWith("sllm demo:", message, StringComparison.Ordinal);
    }
}
