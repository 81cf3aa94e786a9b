using System.CommandLine;
using Microsoft.Extensions.AI;
using Sllm.Onnx;

namespace Sllm.Cli.Commands;

/// <summary>
/// <c>sllm chat MODEL_DIR [--system TEXT] [--max-new-tokens N] [--temperature T] [--provider NAME]</c>: an interactive chat
/// that streams each answer through <see cref="OnnxChatClient"/>. An empty line or end of input ends it.
/// </summary>
internal static class ChatCommand
{
    public static Command Create(TextWriter output, TextWriter error, TextReader input)
    {
        var modelDir = new Argument<string>("MODEL_DIR") { Description = "An ONNX Runtime GenAI model folder with a tokenizer and chat template." };
        var system = new Option<string?>("--system") { Description = "A system message for the conversation." };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Cap on each answer's tokens.", DefaultValueFactory = _ => 256 };
        var temperature = new Option<float?>("--temperature") { Description = "Sampling temperature; greedy when omitted." };
        var providers = new Option<string[]>("--provider") { Description = "Execution provider to use instead of the config's (repeatable)." };
        var command = new Command("chat", "Chat with a model folder, streaming each answer token by token.") { modelDir, system, maxNewTokens, temperature, providers };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var options = new OnnxChatClientOptions();
                foreach (string provider in parse.GetValue(providers) ?? [])
                {
                    options.Model.ExecutionProviders.Add(provider);
                }

                using OnnxChatClient client = await OnnxChatClient.CreateAsync(parse.GetValue(modelDir)!, options, cancellationToken).ConfigureAwait(false);
                var chatOptions = new ChatOptions { MaxOutputTokens = parse.GetValue(maxNewTokens), Temperature = parse.GetValue(temperature) ?? 0f };
                await RunAsync(client, parse.GetValue(system), chatOptions, input, output, cancellationToken).ConfigureAwait(false);
                return 0;
            }
            catch (Exception ex) when (ex is SllmException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                await error.WriteLineAsync("sllm chat: " + ex.Message.ReplaceLineEndings(" ")).ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    internal static async Task RunAsync(IChatClient client, string? system, ChatOptions chatOptions, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        var history = new List<ChatMessage>();
        if (!string.IsNullOrEmpty(system))
        {
            history.Add(new ChatMessage(ChatRole.System, system));
        }

        while (true)
        {
            await output.WriteAsync("> ").ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            string? line = await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(line))
            {
                return;
            }

            history.Add(new ChatMessage(ChatRole.User, line));
            var updates = new List<ChatResponseUpdate>();
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(history, chatOptions, cancellationToken).ConfigureAwait(false))
            {
                updates.Add(update);
                await output.WriteAsync(update.Text).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            await output.WriteLineAsync().ConfigureAwait(false);
            history.AddRange(updates.ToChatResponse().Messages);
        }
    }
}
