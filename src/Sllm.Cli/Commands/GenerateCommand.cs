using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Sllm.Generation;
using Sllm.Onnx;
using Sllm.Onnx.Lora;

namespace Sllm.Cli.Commands;

/// <summary>
/// <c>sllm generate MODEL_DIR (--prompt TEXT | --input-ids 1,2,3 ...) [--max-length N | --max-new-tokens N] [--temperature T]
/// [--top-k K] [--top-p P] [--seed S] [--provider NAME] [--prompt-lookup | --draft DIR] [--adapter FILE.onnx_adapter]
/// [--json-schema FILE] [--json]</c>: runs the token-level generator. Repeating <c>--input-ids</c> forms a batch; without a
/// sampling flag the search is greedy. <c>--json-schema</c> constrains the output to the schema (see
/// docs/structured-output.md) and prints only the generated JSON.
/// </summary>
internal static class GenerateCommand
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var modelDir = new Argument<string>("MODEL_DIR") { Description = "An ONNX Runtime GenAI model folder (genai_config.json, the .onnx decoder, tokenizer files)." };
        var prompt = new Option<string?>("--prompt") { Description = "Text to continue (encoded without added special tokens)." };
        var inputIds = new Option<string[]>("--input-ids") { Description = "Comma-separated prompt token ids; repeat for a batch.", AllowMultipleArgumentsPerToken = false };
        var maxLength = new Option<int?>("--max-length") { Description = "Total length per sequence, prompt included." };
        var maxNewTokens = new Option<int?>("--max-new-tokens") { Description = "Tokens to generate after the longest prompt." };
        var temperature = new Option<float?>("--temperature") { Description = "Sampling temperature (turns sampling on)." };
        var topK = new Option<int?>("--top-k") { Description = "Sample among the K most likely tokens (turns sampling on)." };
        var topP = new Option<float?>("--top-p") { Description = "Nucleus sampling threshold (turns sampling on)." };
        var seed = new Option<int?>("--seed") { Description = "Random seed for sampling." };
        var providers = new Option<string[]>("--provider") { Description = "Execution provider to use instead of the config's (repeatable), e.g. cpu." };
        var promptLookup = new Option<bool>("--prompt-lookup") { Description = "Speculative decoding with prompt lookup (single prompt only)." };
        var draft = new Option<string?>("--draft") { Description = "Speculative decoding with this draft model folder (same tokenizer; single prompt only)." };
        var adapter = new Option<string?>("--adapter") { Description = "A LoRA adapter (.onnx_adapter) for a base model with LoRA inputs." };
        var json = new Option<bool>("--json") { Description = "Print {\"sequences\", \"text\", \"usage\"} as one JSON object." };
        var jsonSchema = new Option<string?>("--json-schema") { Description = "A JSON schema file: the output is constrained to JSON valid against it (needs --prompt)." };
        var command = new Command("generate", "Generate tokens from a prompt or from token ids with a model folder.")
        {
            modelDir, prompt, inputIds, maxLength, maxNewTokens, temperature, topK, topP, seed, providers, promptLookup, draft, json, adapter, jsonSchema,
        };
        command.Validators.Add(result =>
        {
            bool hasPrompt = result.GetValue(prompt) is not null;
            bool hasIds = result.GetValue(inputIds) is { Length: > 0 };
            if (hasPrompt == hasIds)
            {
                result.AddError("Give exactly one of --prompt or --input-ids.");
            }

            if (result.GetValue(jsonSchema) is not null && !hasPrompt)
            {
                result.AddError("--json-schema needs --prompt.");
            }

            if (result.GetValue(maxLength) is not null && result.GetValue(maxNewTokens) is not null)
            {
                result.AddError("Give at most one of --max-length and --max-new-tokens.");
            }

            if ((result.GetValue(promptLookup) || result.GetValue(draft) is not null) && (result.GetValue(inputIds)?.Length > 1 || (result.GetValue(promptLookup) && result.GetValue(draft) is not null)))
            {
                result.AddError("--prompt-lookup and --draft each need a single prompt, and exclude each other.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var request = new Request(
                    parse.GetValue(prompt),
                    ParseIds(parse.GetValue(inputIds) ?? []),
                    parse.GetValue(maxLength),
                    parse.GetValue(maxNewTokens),
                    parse.GetValue(temperature),
                    parse.GetValue(topK),
                    parse.GetValue(topP),
                    parse.GetValue(seed))
                {
                    PromptLookup = parse.GetValue(promptLookup),
                    Schema = parse.GetValue(jsonSchema) is { } schemaFile ? Sllm.StructuredOutput.JsonSchemaConstraint.FromFile(schemaFile) : null,
                };
                var modelOptions = new OnnxModelOptions { RequireTokenizer = request.Prompt is not null };
                foreach (string provider in parse.GetValue(providers) ?? [])
                {
                    modelOptions.ExecutionProviders.Add(provider);
                }

                using OnnxModel model = await OnnxModel.CreateAsync(parse.GetValue(modelDir)!, modelOptions, cancellationToken).ConfigureAwait(false);
                using OnnxModel? draftModel = parse.GetValue(draft) is { } draftDir ? await OnnxModel.CreateAsync(draftDir, modelOptions, cancellationToken).ConfigureAwait(false) : null;
                using LoraAdapter? lora = parse.GetValue(adapter) is { } adapterPath ? await LoraAdapter.LoadAsync(adapterPath, cancellationToken).ConfigureAwait(false) : null;
                Result result = Run(model, request, cancellationToken, draftModel, lora);
                await output.WriteLineAsync(parse.GetValue(json) ? ToJson(result) : ToText(result)).ConfigureAwait(false);
                return 0;
            }
            catch (Exception ex) when (ex is SllmException or IOException or UnauthorizedAccessException or ArgumentException or FormatException or InvalidOperationException)
            {
                await error.WriteLineAsync("sllm generate: " + ex.Message.ReplaceLineEndings(" ")).ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    internal static Result Run(OnnxModel model, Request request, CancellationToken cancellationToken, OnnxModel? draftModel = null, LoraAdapter? adapter = null)
    {
        List<int[]> prompts = request.Prompt is { } text
            ? [[.. model.Tokenizer!.EncodeToIds(text, addSpecialTokens: false)]]
            : request.InputIds;
        int longest = 0;
        foreach (int[] row in prompts)
        {
            longest = Math.Max(longest, row.Length);
        }

        int maxLength = request.MaxLength ?? (request.MaxNewTokens is int n ? Math.Min(longest + n, model.ContextLength) : model.MaxLength);
        SamplingOptions sampling = model.DefaultSamplingOptions;
        bool sample = request.Temperature is not null || request.TopK is not null || request.TopP is not null;
        sampling.DoSample = sample;
        sampling.Temperature = request.Temperature ?? sampling.Temperature;
        sampling.TopK = request.TopK ?? sampling.TopK;
        sampling.TopP = request.TopP ?? sampling.TopP;
        sampling.Seed = request.Seed ?? sampling.Seed;
        var generatorOptions = new GeneratorOptions { MaxLength = maxLength, BatchSize = prompts.Count, Sampling = sampling, Adapter = adapter };
        SchemaOutput.Apply(model, request.Schema, generatorOptions);
        using Generator generator = model.CreateGenerator(generatorOptions);
        generator.AppendTokenSequences(prompts, cancellationToken);
        SpeculationStats? speculation = GenerateSpeculation.Run(model, generator, request.PromptLookup, draftModel, cancellationToken);

        var sequences = new List<int[]>();
        var texts = new List<string?>();
        int input = 0, outputTokens = 0;
        for (int b = 0; b < prompts.Count; b++)
        {
            int[] sequence = generator.GetSequence(b).ToArray();
            sequences.Add(sequence);
            input += generator.GetPromptLength(b);
            outputTokens += sequence.Length - generator.GetPromptLength(b);
            int skip = request.Schema is null ? 0 : generator.GetPromptLength(b);
            texts.Add(model.Tokenizer?.Decode(sequence.AsSpan(skip), skipSpecialTokens: true));
        }

        return new Result(sequences, texts, input, outputTokens) { Speculation = speculation };
    }

    internal static List<int[]> ParseIds(string[] rows)
    {
        var result = new List<int[]>();
        foreach (string row in rows)
        {
            string[] parts = row.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var ids = new int[parts.Length];
            for (int i = 0; i < parts.Length; i++)
            {
                ids[i] = int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out int id)
                    ? id
                    : throw new FormatException($"--input-ids: '{parts[i]}' is not a token id.");
            }

            result.Add(ids.Length > 0 ? ids : throw new FormatException("--input-ids: a row is empty."));
        }

        return result;
    }

    private static string ToJson(Result result)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("sequences");
            foreach (int[] sequence in result.Sequences)
            {
                writer.WriteStartArray();
                foreach (int id in sequence)
                {
                    writer.WriteNumberValue(id);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("text");
            foreach (string? text in result.Texts)
            {
                writer.WriteStringValue(text);
            }

            writer.WriteEndArray();
            writer.WriteStartObject("usage");
            writer.WriteNumber("input_tokens", result.InputTokens);
            writer.WriteNumber("output_tokens", result.OutputTokens);
            writer.WriteNumber("total_tokens", result.InputTokens + result.OutputTokens);
            writer.WriteEndObject();
            GenerateSpeculation.Write(writer, result.Speculation);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string ToText(Result result)
    {
        var lines = new List<string>();
        for (int i = 0; i < result.Sequences.Count; i++)
        {
            lines.Add(result.Texts[i] ?? string.Join(',', result.Sequences[i]));
        }

        return string.Join(Environment.NewLine, lines);
    }

    internal sealed record Request(string? Prompt, List<int[]> InputIds, int? MaxLength, int? MaxNewTokens, float? Temperature, int? TopK, float? TopP, int? Seed)
    {
        public Sllm.StructuredOutput.JsonSchemaConstraint? Schema { get; init; }

        public bool PromptLookup { get; init; }
    }

    internal sealed record Result(List<int[]> Sequences, List<string?> Texts, int InputTokens, int OutputTokens)
    {
        public SpeculationStats? Speculation { get; init; }
    }
}
