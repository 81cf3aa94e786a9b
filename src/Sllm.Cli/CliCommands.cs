using System.CommandLine;

namespace Sllm.Cli;

/// <summary>The list of subcommands; each command lives in its own file under Commands/.</summary>
internal static class CliCommands
{
    public static IEnumerable<Command> Create(TextWriter output, TextWriter error)
    {
        yield return Commands.DemoCommand.Create(output, error);
        yield return Commands.TokenizeCommand.Create(output, error);
        yield return Commands.TemplateCommand.Create(output, error);
        yield return Commands.GenerateCommand.Create(output, error);
        yield return Commands.ChatCommand.Create(output, error, Console.In);
        yield return Commands.BuildModelCommand.Create(output, error);
        yield return Commands.QuantizeCommand.Create(output, error);
        yield return Commands.AdapterCommand.Create(output, error);
    }
}
