using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Sllm.Tokenization;

namespace Sllm.Cli.Commands;

/// <summary>
/// <c>sllm tokenize TOKENIZER_DIR --cases CASES.json [--out FILE]</c>: encodes and decodes every case of a tokenizer case
/// file and writes the results in the shape of the conformance corpus' <c>expected/*.tokens.json</c>.
/// </summary>
internal static class TokenizeCommand
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var directory = new Argument<string>("TOKENIZER_DIR") { Description = "Folder holding tokenizer.json and tokenizer_config.json." };
        var cases = new Option<string>("--cases") { Description = "Tokenizer case file ({\"cases\": [{\"id\", \"text\", \"add_special_tokens\"}]}).", Required = true };
        var outFile = new Option<string?>("--out") { Description = "Write the JSON here instead of standard output." };
        var command = new Command("tokenize", "Tokenize the cases of a case file with a Hugging Face tokenizer and print ids, tokens and decodes as JSON.");
        command.Arguments.Add(directory);
        command.Options.Add(cases);
        command.Options.Add(outFile);
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                string dir = parse.GetValue(directory)!;
                HuggingFaceTokenizer tokenizer = await HuggingFaceTokenizer.CreateAsync(dir, options: null, cancellationToken).ConfigureAwait(false);
                byte[] json = Run(tokenizer, dir, parse.GetValue(cases)!);
                if (parse.GetValue(outFile) is { } path)
                {
                    await File.WriteAllBytesAsync(path, json, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await output.WriteAsync(System.Text.Encoding.UTF8.GetString(json).AsMemory(), cancellationToken).ConfigureAwait(false);
                    await output.WriteLineAsync().ConfigureAwait(false);
                }

                return 0;
            }
            // ArgumentException: a path the OS rejects (--out "", a name with invalid characters).
            catch (Exception ex) when (ex is SllmException or IOException or UnauthorizedAccessException or JsonException or InvalidDataException or ArgumentException)
            {
                await error.WriteLineAsync($"sllm tokenize: {OneLine(ex.Message)}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static byte[] Run(HuggingFaceTokenizer tokenizer, string directory, string casesPath)
    {
        byte[] casesBytes;
        try
        {
            casesBytes = File.ReadAllBytes(casesPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{casesPath}: cannot read the case file: {ex.Message}", ex);
        }

        using JsonDocument doc = ParseCases(casesBytes, casesPath);
        if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("cases", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{casesPath}: expected an object with a 'cases' array");
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("generator", "sllm tokenize");
            writer.WriteString("target", Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))));
            writer.WriteString("kind", "tokenizer");
            writer.WriteStartArray("results");
            int index = 0;
            foreach (JsonElement item in list.EnumerateArray())
            {
                WriteCase(writer, tokenizer, item, casesPath, index++);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteCase(Utf8JsonWriter writer, HuggingFaceTokenizer tokenizer, JsonElement item, string casesPath, int index)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("id", out JsonElement id) || id.ValueKind != JsonValueKind.String
            || !item.TryGetProperty("text", out JsonElement text) || text.ValueKind != JsonValueKind.String)
        {
            throw new InvalidDataException($"{casesPath}: $.cases[{index}]: expected an object with string 'id' and 'text'");
        }

        bool addSpecial = !item.TryGetProperty("add_special_tokens", out JsonElement add) || add.ValueKind != JsonValueKind.False;
        var tokens = tokenizer.EncodeToTokens(text.GetString()!, addSpecial);
        int[] ids = new int[tokens.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = tokens[i].Id;
        }

        writer.WriteStartObject();
        writer.WriteString("id", id.GetString());
        writer.WriteString("text", text.GetString());
        writer.WriteBoolean("add_special_tokens", addSpecial);
        writer.WriteStartArray("ids");
        foreach (int value in ids)
        {
            writer.WriteNumberValue(value);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("tokens");
        foreach (var token in tokens)
        {
            writer.WriteStringValue(token.Value);
        }

        writer.WriteEndArray();
        writer.WriteString("decoded", tokenizer.Decode(ids, skipSpecialTokens: false));
        writer.WriteString("decoded_skip_special", tokenizer.Decode(ids, skipSpecialTokens: true));
        writer.WriteEndObject();
    }

    private static JsonDocument ParseCases(byte[] bytes, string path)
    {
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: malformed JSON at line {(ex.LineNumber ?? 0) + 1}: {ex.Message}", ex);
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
