using System.CommandLine;

namespace Sllm.Cli;

/// <summary>Builds the <c>sllm</c> command tree; tests invoke it in-process with their own writers.</summary>
internal static class SllmCommandLine
{
    public static RootCommand CreateRoot(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("sllm: tokenize text, render chat templates and run small language models.");
        foreach (Command command in CliCommands.Create(output, error))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error)
    {
        RootCommand root = CreateRoot(output, error);
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line, as scripts expect: every parse error, then how to get help.
            var messages = new List<string>(parse.Errors.Count);
            foreach (var parseError in parse.Errors)
            {
                messages.Add(parseError.Message.ReplaceLineEndings(" ").TrimEnd('.'));
            }

            await error.WriteLineAsync($"sllm: {string.Join("; ", messages)} (see 'sllm --help')").ConfigureAwait(false);
            return 2;
        }

        var config = new InvocationConfiguration { Output = output, Error = error };
        return await parse.InvokeAsync(config).ConfigureAwait(false);
    }
}
