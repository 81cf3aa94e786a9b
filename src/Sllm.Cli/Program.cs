using Sllm.Cli;

return await SllmCommandLine.InvokeAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
