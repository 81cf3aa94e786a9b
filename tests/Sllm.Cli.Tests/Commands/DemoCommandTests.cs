namespace Sllm.Cli.Commands;

public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_EmbeddedDefault_RendersTokenizesAndRoundTrips()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = await SllmCommandLine.InvokeAsync(["demo", "--prompt", "Wie ist das Wetter in Zürich? 🌦"], output, error);

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, error.ToString());
        string text = output.ToString();
        Assert.Contains("<|im_start|>user\nWie ist das Wetter in Zürich? 🌦<|im_end|>", text, StringComparison.Ordinal);
        Assert.Contains("\"name\": \"get_weather\"", text, StringComparison.Ordinal);
        Assert.Contains("<|im_start|>assistant\n<tool_call>", text, StringComparison.Ordinal);
        Assert.EndsWith("<|im_start|>assistant\n\nTokens (", text[..(text.IndexOf("Tokens (", StringComparison.Ordinal) + 8)], StringComparison.Ordinal);
        Assert.Contains("equals the prompt: yes", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_MissingModelFolder_FailsWithOneLine()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = await SllmCommandLine.InvokeAsync(["demo", Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid())], output, error);

        Assert.NotEqual(0, exitCode);
        string message = error.ToString().TrimEnd();
        Assert.StartsWith("sllm demo:", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public async Task Demo_EmptyModelFolder_FailsWithOneLine()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = await SllmCommandLine.InvokeAsync(["demo", ""], output, error);

        Assert.Equal(1, exitCode);
        string message = error.ToString().TrimEnd();
        Assert.StartsWith("sllm demo:", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }
}
