using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Sllm.Onnx;
using Sllm.Onnx.Building;

namespace Sllm.Cli.Commands;

/// <summary>
/// <c>sllm demo [MODEL_DIR] [--prompt TEXT] [--max-new-tokens N]</c>: a streamed chat through <see cref="OnnxChatClient"/>,
/// the same <see cref="IChatClient"/> an application registers. Without MODEL_DIR it runs a small default model that the
/// SDK's own builder writes on first use (random weights: the text is noise; the pipeline is real).
/// </summary>
internal static class DemoCommand
{
    private const string DefaultPrompt = "What is the weather like in Paris?";
    private const string DefaultModelName = "demo-qwen2-tiny-v2";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var modelDir = new Argument<string?>("MODEL_DIR")
        {
            Description = "An ONNX Runtime GenAI model folder (default: a small model the builder writes on first use).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var prompt = new Option<string>("--prompt") { Description = "The user message.", DefaultValueFactory = _ => DefaultPrompt };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Cap on the answer's tokens.", DefaultValueFactory = _ => 48 };
        var providers = new Option<string[]>("--provider") { Description = "Execution provider to use instead of the config's (repeatable)." };
        var command = new Command("demo", "Stream a chat answer from a model folder through IChatClient (default: a builder-made demo model).")
        {
            modelDir, prompt, maxNewTokens, providers,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                string? given = parse.GetValue(modelDir);
                string dir = given ?? await EnsureDefaultModelAsync(output, cancellationToken).ConfigureAwait(false);
                var options = new OnnxChatClientOptions();
                foreach (string provider in parse.GetValue(providers) ?? [])
                {
                    options.Model.ExecutionProviders.Add(provider);
                }

                return await RunAsync(dir, given is null, parse.GetValue(prompt)!, parse.GetValue(maxNewTokens), options, output, cancellationToken).ConfigureAwait(false);
            }
            // ArgumentException: a MODEL_DIR the loaders reject (empty, invalid characters).
            catch (Exception ex) when (ex is SllmException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                await error.WriteLineAsync("sllm demo: " + ex.Message.ReplaceLineEndings(" ")).ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(string dir, bool isDefault, string userText, int maxNewTokens, OnnxChatClientOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        // The same calls an application makes against any exported model folder.
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(dir, options, cancellationToken).ConfigureAwait(false);
        ChatClientMetadata metadata = client.GetService<ChatClientMetadata>()!;
        await output.WriteLineAsync($"model: {metadata.DefaultModelId} ({dir})").ConfigureAwait(false);
        if (isDefault)
        {
            await output.WriteLineAsync("note: this default model has random weights, so its answer is noise; the tokenizer, chat template, KV cache, sampling and streaming are real. Run `sllm demo <MODEL_DIR>` on an ONNX Runtime GenAI export (e.g. Phi-3-mini-4k-instruct-onnx, Qwen2.5-0.5B-Instruct exported with onnxruntime-genai's builder) for real text.").ConfigureAwait(false);
        }

        ChatMessage[] messages = [new(ChatRole.System, "You are a helpful assistant."), new(ChatRole.User, userText)];
        // Sampled, seeded: greedy decoding on random weights repeats one token; sampling shows the vocabulary at work.
        var chatOptions = new ChatOptions { MaxOutputTokens = maxNewTokens, Temperature = 0.9f, TopK = 40, Seed = 42 };
        await output.WriteLineAsync($"user: {userText}").ConfigureAwait(false);
        await output.WriteAsync("assistant: ").ConfigureAwait(false);
        var updates = new List<ChatResponseUpdate>();
        long start = Stopwatch.GetTimestamp();
        TimeSpan? firstToken = null;
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(messages, chatOptions, cancellationToken).ConfigureAwait(false))
        {
            firstToken ??= Stopwatch.GetElapsedTime(start);
            updates.Add(update);
            await output.WriteAsync(Printable(update.Text)).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        TimeSpan total = Stopwatch.GetElapsedTime(start);
        ChatResponse response = updates.ToChatResponse();
        UsageDetails usage = response.Usage ?? new UsageDetails();
        await output.WriteLineAsync().ConfigureAwait(false);
        string rate = (usage.OutputTokenCount ?? 0) > 0 ? ((usage.OutputTokenCount ?? 0) / total.TotalSeconds).ToString("F0", CultureInfo.InvariantCulture) : "0";
        await output.WriteLineAsync(
            $"finish: {response.FinishReason?.Value}; tokens: {usage.InputTokenCount} in, {usage.OutputTokenCount} out; " +
            $"first update after {firstToken?.TotalMilliseconds ?? 0:F0} ms; {rate} tokens/s").ConfigureAwait(false);
        return 0;
    }

    /// <summary>Returns the default model folder, building it on first use into the user's cache
    /// (<c>SLLM_CACHE_DIR</c> or the local application data folder).</summary>
    internal static async Task<string> EnsureDefaultModelAsync(TextWriter output, CancellationToken cancellationToken)
    {
        string root = Environment.GetEnvironmentVariable("SLLM_CACHE_DIR") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "sllm");
        string dir = Path.Combine(root, "models", DefaultModelName);
        if (File.Exists(Path.Combine(dir, GenAIConfig.FileName)))
        {
            return dir;
        }

        // Build beside the target and move it in whole, so an interrupted build never leaves a half-written model behind.
        string staging = dir + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        ModelBuilderOptions options = ModelBuilderOptions.Tiny(ModelFamily.Qwen2);
        options.HiddenSize = 128;
        options.IntermediateSize = 384;
        options.NumLayers = 4;
        options.Seed = 7;
        options.ContextLength = 2048;
        ModelBuildResult result = await OnnxModelBuilder.BuildAsync(staging, options, cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.Move(staging, dir);
        }
        catch (IOException) when (File.Exists(Path.Combine(dir, GenAIConfig.FileName)))
        {
            // Another process finished first; use its copy.
            Directory.Delete(staging, recursive: true);
        }

        await output.WriteLineAsync($"built the default model ({result.ParameterCount:N0} parameters) into {dir}").ConfigureAwait(false);
        return dir;
    }

    private static string Printable(string text)
    {
        // Random weights emit control characters; keep the terminal readable.
        var builder = new System.Text.StringBuilder(text.Length);
        foreach (char c in text)
        {
            builder.Append(char.IsControl(c) && c != '\n' ? '·' : c);
        }

        return builder.ToString();
    }
}
