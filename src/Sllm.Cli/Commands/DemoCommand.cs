using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Sllm.ChatTemplates;
using Sllm.Tokenization;

namespace Sllm.Cli.Commands;

/// <summary>
/// <c>sllm demo [MODEL_DIR] [--prompt TEXT]</c>: renders a conversation with a tool declaration and a tool call through a
/// model folder's chat template, tokenizes the prompt, streams it back through the incremental decoder and checks the
/// round trip. Without MODEL_DIR it uses the tokenizer and template embedded in the tool (written by this project).
/// </summary>
internal static class DemoCommand
{
    private const string DefaultPrompt = "What is the weather like in Paris?";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var modelDir = new Argument<string?>("MODEL_DIR")
        {
            Description = "A folder with tokenizer.json and tokenizer_config.json (default: the embedded demo tokenizer).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var prompt = new Option<string>("--prompt") { Description = "The user message.", DefaultValueFactory = _ => DefaultPrompt };
        var command = new Command("demo", "Render a chat through a chat template, tokenize it and stream it back.") { modelDir, prompt };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string? tempDir = null;
            try
            {
                string dir = parse.GetValue(modelDir) ?? (tempDir = ExtractEmbeddedDefault());
                return await RunAsync(dir, tempDir is not null, parse.GetValue(prompt)!, output, cancellationToken).ConfigureAwait(false);
            }
            // ArgumentException: a MODEL_DIR the loaders reject (empty, invalid characters).
            catch (Exception ex) when (ex is SllmException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                await error.WriteLineAsync("sllm demo: " + ex.Message.ReplaceLineEndings(" ")).ConfigureAwait(false);
                return 1;
            }
            finally
            {
                if (tempDir is not null)
                {
                    Directory.Delete(tempDir, recursive: true);
                }
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(string dir, bool embedded, string userText, TextWriter output, CancellationToken cancellationToken)
    {
        // The same two calls an application makes against any exported model folder.
        HuggingFaceTokenizer tokenizer = await HuggingFaceTokenizer.CreateAsync(dir, options: null, cancellationToken).ConfigureAwait(false);
        ChatTemplate template = await ChatTemplate.LoadAsync(dir, cancellationToken: cancellationToken).ConfigureAwait(false);

        AIFunction weather = AIFunctionFactory.Create(
            (string city, string unit) => $"{{\"city\": \"{city}\", \"temperature\": 21, \"unit\": \"{unit}\"}}",
            "get_weather",
            "Gets the current weather for a city.");
        var call = new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris", ["unit"] = "celsius" });
        ChatMessage[] messages =
        [
            new(ChatRole.System, "You are a helpful assistant."),
            new(ChatRole.User, userText),
            new(ChatRole.Assistant, [call]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "{\"city\": \"Paris\", \"temperature\": 21, \"unit\": \"celsius\"}")]),
            new(ChatRole.Assistant, "It is 21 °C and sunny in Paris."),
            new(ChatRole.User, "Thanks! And tomorrow?"),
        ];

        string prompt = template.Render(messages, new ChatTemplateRenderOptions { AddGenerationPrompt = true, Tools = [weather] });
        IReadOnlyList<int> ids = tokenizer.EncodeToIds(prompt, addSpecialTokens: false);

        StreamingDecoder decoder = tokenizer.CreateStreamingDecoder();
        var streamed = new StringBuilder();
        foreach (int id in ids)
        {
            streamed.Append(decoder.Append(id));
        }

        streamed.Append(decoder.Flush());
        bool roundTrip = string.Equals(streamed.ToString(), prompt, StringComparison.Ordinal);

        await output.WriteLineAsync(embedded
            ? $"sllm demo: the embedded tokenizer ({tokenizer.VocabularySize} tokens, byte-level BPE) and ChatML-style template written by this project"
            : $"sllm demo: {Path.GetFullPath(dir)} ({tokenizer.VocabularySize} tokens)").ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("Prompt rendered by the chat template:").ConfigureAwait(false);
        await output.WriteLineAsync(prompt).ConfigureAwait(false);
        await output.WriteLineAsync($"Tokens ({ids.Count}):").ConfigureAwait(false);
        await output.WriteLineAsync(FormatTokens(tokenizer, ids)).ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync($"Streaming decode of {ids.Count} ids equals the prompt: {(roundTrip ? "yes" : "NO")}").ConfigureAwait(false);
        return roundTrip ? 0 : 3;
    }

    private static string FormatTokens(HuggingFaceTokenizer tokenizer, IReadOnlyList<int> ids)
    {
        var text = new StringBuilder();
        for (int i = 0; i < ids.Count; i++)
        {
            text.Append(i == 0 ? string.Empty : " ").Append(ids[i]).Append(':')
                .Append('"').Append(JsonEncodedText.Encode(tokenizer.IdToToken(ids[i]) ?? "?", JavaScriptEncoder.UnsafeRelaxedJsonEscaping)).Append('"');
        }

        return text.ToString();
    }

    private static string ExtractEmbeddedDefault()
    {
        string dir = Path.Combine(Path.GetTempPath(), "sllm-demo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        foreach (string name in new[] { "tokenizer.json", "tokenizer_config.json" })
        {
            using Stream resource = typeof(DemoCommand).Assembly.GetManifestResourceStream("Sllm.Cli.Defaults." + name)
                ?? throw new InvalidOperationException($"embedded resource {name} is missing from the sllm tool");
            using FileStream file = File.Create(Path.Combine(dir, name));
            resource.CopyTo(file);
        }

        return dir;
    }
}
