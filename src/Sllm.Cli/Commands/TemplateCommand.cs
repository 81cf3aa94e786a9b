using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sllm.ChatTemplates;
using Sllm.Tokenization;

namespace Sllm.Cli.Commands;

/// <summary><c>sllm template &lt;TOKENIZER_DIR | TEMPLATE.jinja&gt; --cases CASES.json [--now ...] [--out FILE]</c>: renders
/// template cases and writes results in the shape of the conformance corpus' <c>expected/*.template.json</c>.</summary>
internal static class TemplateCommand
{
    private static readonly JsonSerializerOptions OutputJson = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var target = new Argument<string>("target") { Description = "A tokenizer/model folder (tokenizer_config.json, chat_template.jinja) or a .jinja file." };
        var cases = new Option<string>("--cases") { Description = "Template cases JSON: {\"kind\": \"template\", \"cases\": [...]}.", Required = true };
        var now = new Option<string?>("--now") { Description = "Freeze strftime_now's local clock, e.g. 2024-07-26T00:00:00 (default: the real clock)." };
        var outFile = new Option<string?>("--out") { Description = "Write the JSON here instead of stdout." };
        var command = new Command("template", "Render chat-template cases with a model's template.") { target, cases, now, outFile };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                string json = await RunAsync(parse.GetValue(target)!, parse.GetValue(cases)!, parse.GetValue(now), cancellationToken).ConfigureAwait(false);
                string? file = parse.GetValue(outFile);
                if (file is null)
                {
                    await output.WriteAsync(json).ConfigureAwait(false);
                }
                else
                {
                    await File.WriteAllTextAsync(file, json, cancellationToken).ConfigureAwait(false);
                }

                return 0;
            }
            // ArgumentException: a path the OS rejects (--out "", a name with invalid characters).
            catch (Exception e) when (e is SllmException or IOException or UnauthorizedAccessException or JsonException or FormatException or ArgumentException)
            {
                await error.WriteLineAsync("sllm template: " + e.Message.ReplaceLineEndings(" ")).ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static async Task<string> RunAsync(string targetPath, string casesPath, string? now, CancellationToken cancellationToken)
    {
        TimeProvider clock = now is null
            ? TimeProvider.System
            : new FixedClock(DateTime.Parse(now, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces));
        ChatTemplate template = await ChatTemplate.LoadAsync(targetPath, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!File.Exists(casesPath))
        {
            throw new IOException($"cases file {casesPath} does not exist");
        }

        JsonNode? casesDoc = ParseCases(await File.ReadAllTextAsync(casesPath, cancellationToken).ConfigureAwait(false), casesPath);
        if (casesDoc is not JsonObject root || root["cases"] is not JsonArray caseList || !IsString(root["kind"], "template"))
        {
            throw new FormatException($"{casesPath} is not a template cases file ({{\"kind\": \"template\", \"cases\": [...]}})");
        }

        bool standalone = File.Exists(targetPath);
        HuggingFaceTokenizer? tokenizer = !standalone && File.Exists(Path.Combine(targetPath, "tokenizer.json"))
            ? await HuggingFaceTokenizer.CreateAsync(targetPath, options: null, cancellationToken).ConfigureAwait(false)
            : null;
        var results = new JsonArray();
        foreach (JsonNode? c in caseList)
        {
            if (c is not JsonObject testCase || testCase["messages"] is not JsonArray messages)
            {
                throw new FormatException($"{casesPath}: every case needs \"messages\"");
            }

            bool addGenerationPrompt = testCase["add_generation_prompt"]?.GetValueKind() switch
            {
                null or JsonValueKind.Null or JsonValueKind.False => false,
                JsonValueKind.True => true,
                _ => throw new FormatException($"{casesPath}: \"add_generation_prompt\" must be true or false"),
            };
            var result = new JsonObject { ["id"] = testCase["id"]?.DeepClone(), ["add_generation_prompt"] = addGenerationPrompt };
            try
            {
                string rendered = Render(template, testCase, messages, addGenerationPrompt, clock);
                result["rendered"] = rendered;

                if (tokenizer is not null)
                {
                    // As the reference: the ids of the rendered prompt, encoded without adding special tokens.
                    var ids = new JsonArray();
                    foreach (int id in tokenizer.EncodeToIds(rendered, addSpecialTokens: false))
                    {
                        ids.Add(id);
                    }

                    result["ids"] = ids;
                }
            }
            catch (ChatTemplateException e)
            {
                result["error"] = e.TemplateMessage;
            }

            results.Add((JsonNode)result);
        }

        var doc = new JsonObject
        {
            ["generator"] = "sllm template",
            ["target"] = standalone ? Path.GetFileNameWithoutExtension(targetPath) : Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(targetPath))),
            ["kind"] = "template",
        };
        if (now is not null)
        {
            // The reference's key: the local date strftime_now sees.
            doc["fixed_strftime_now_date"] = clock.GetLocalNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        if (standalone)
        {
            var tokens = new JsonObject();
            foreach (KeyValuePair<string, string> token in template.SpecialTokens.OrderBy(static t => t.Key, StringComparer.Ordinal))
            {
                tokens[token.Key] = token.Value;
            }

            doc["special_tokens"] = tokens;
        }

        doc["results"] = results;
        return doc.ToJsonString(OutputJson) + "\n";
    }

    private static JsonNode? ParseCases(string json, string path)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: malformed JSON at line {(e.LineNumber ?? 0) + 1}: {e.Message}", e);
        }
    }

    private static bool IsString(JsonNode? node, string expected) =>
        node?.GetValueKind() == JsonValueKind.String && node.GetValue<string>() == expected;

    private static string Render(ChatTemplate template, JsonObject testCase, JsonArray messages, bool addGenerationPrompt, TimeProvider clock) =>
        template.RenderJson(messages, testCase["tools"] as JsonArray, new ChatTemplateRenderOptions
        {
            AddGenerationPrompt = addGenerationPrompt,
            TimeProvider = clock,
            AdditionalVariables = ExtraContext(testCase["extra_context"] as JsonObject),
        });

    private static Dictionary<string, object?>? ExtraContext(JsonObject? extra)
    {
        if (extra is null)
        {
            return null;
        }

        var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, JsonNode?> pair in extra)
        {
            variables[pair.Key] = pair.Value?.DeepClone();
        }

        return variables;
    }
}
