namespace Sllm.Cli;

public sealed class CommandLineTests
{
    [Fact]
    public async Task Invoke_UnknownCommand_PrintsOneLineErrorAndFails()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = await SllmCommandLine.InvokeAsync(["no-such-command"], output, error);

        Assert.NotEqual(0, exitCode);
        string message = error.ToString().TrimEnd();
        Assert.DoesNotContain('\n', message);
        Assert.Contains("no-such-command", message, StringComparison.Ordinal);
    }
}
