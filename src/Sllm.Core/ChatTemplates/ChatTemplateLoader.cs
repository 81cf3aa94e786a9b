using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sllm.ChatTemplates;

/// <summary>Finds a chat template and its special tokens in model files, as transformers does.</summary>
internal static class ChatTemplateLoader
{
    private static readonly string[] ConfigTokenKeys = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"];

    public static async Task<ChatTemplate> LoadAsync(string path, string? templateName, ChatTemplateOptions? options, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
        {
            string jinja = Path.Combine(path, "chat_template.jinja");
            string config = Path.Combine(path, "tokenizer_config.json");
            JsonObject? configJson = File.Exists(config) ? await ReadJsonAsync(config, cancellationToken).ConfigureAwait(false) : null;
            string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
            if (templateName is null && File.Exists(jinja))
            {
                string source = await ReadTextAsync(jinja, cancellationToken).ConfigureAwait(false);
                return ChatTemplate.Parse(source, name, options, jinja, ConfigTokens(configJson));
            }

            if (configJson is not null)
            {
                return FromConfig(configJson, config, name, templateName, options);
            }

            throw Missing(path, "holds neither chat_template.jinja nor tokenizer_config.json");
        }

        if (!File.Exists(path))
        {
            throw Missing(path, "does not exist");
        }

        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            JsonObject configJson = await ReadJsonAsync(path, cancellationToken).ConfigureAwait(false);
            string name = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? Path.GetFileNameWithoutExtension(path);
            return FromConfig(configJson, path, name, templateName, options);
        }

        string text = await ReadTextAsync(path, cancellationToken).ConfigureAwait(false);
        string sidecar = Path.ChangeExtension(path, ".json");
        IReadOnlyDictionary<string, string> tokens;
        if (File.Exists(sidecar))
        {
            tokens = SidecarTokens(await ReadJsonAsync(sidecar, cancellationToken).ConfigureAwait(false));
        }
        else
        {
            string config = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "tokenizer_config.json");
            tokens = ConfigTokens(File.Exists(config) ? await ReadJsonAsync(config, cancellationToken).ConfigureAwait(false) : null);
        }

        return ChatTemplate.Parse(text, Path.GetFileNameWithoutExtension(path), options, path, tokens);
    }

    private static ChatTemplate FromConfig(JsonObject config, string path, string name, string? templateName, ChatTemplateOptions? options)
    {
        IReadOnlyDictionary<string, string> tokens = ConfigTokens(config);
        JsonNode? node = config["chat_template"];
        if (node is JsonValue value && value.TryGetValue(out string? source))
        {
            if (templateName is not null && templateName != "default")
            {
                throw Invalid(path, name, $"has a single chat template, not one named '{templateName}'");
            }

            return ChatTemplate.Parse(source, name, options, path, tokens);
        }

        if (node is JsonArray list)
        {
            var named = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (JsonNode? entry in list)
            {
                if (entry is JsonObject obj && obj["name"] is JsonValue n && n.TryGetValue(out string? entryName) &&
                    obj["template"] is JsonValue t && t.TryGetValue(out string? entrySource))
                {
                    named[entryName] = entrySource;
                }
            }

            string wanted = templateName ?? "default";
            if (!named.TryGetValue(wanted, out string? chosen))
            {
                throw Invalid(path, name, $"has no chat template named '{wanted}' (it has: {string.Join(", ", named.Keys)})");
            }

            ChatTemplate? toolUse = templateName is null && named.TryGetValue("tool_use", out string? toolSource)
                ? ChatTemplate.Parse(toolSource, name + ":tool_use", options, path, tokens)
                : null;
            return ChatTemplate.Parse(chosen, templateName is null ? name : name + ":" + wanted, options, path, tokens, toolUse);
        }

        throw Invalid(path, name, "has no chat_template");
    }

    /// <summary>The special tokens transformers passes: strings, or the <c>content</c> of AddedToken objects; null/absent skipped.</summary>
    internal static IReadOnlyDictionary<string, string> ConfigTokens(JsonObject? config)
    {
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        if (config is null)
        {
            return tokens;
        }

        foreach (string key in ConfigTokenKeys)
        {
            JsonNode? node = config[key];
            if (node is JsonValue v && v.TryGetValue(out string? s))
            {
                tokens[key] = s;
            }
            else if (node is JsonObject obj && obj["content"] is JsonValue c && c.TryGetValue(out string? content))
            {
                tokens[key] = content;
            }
        }

        return tokens;
    }

    private static Dictionary<string, string> SidecarTokens(JsonObject sidecar)
    {
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, JsonNode?> pair in sidecar)
        {
            if (pair.Key.EndsWith("_token", StringComparison.Ordinal) && pair.Value is JsonValue v && v.TryGetValue(out string? s))
            {
                tokens[pair.Key] = s;
            }
        }

        return tokens;
    }

    private static async Task<string> ReadTextAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ChatTemplateException(SllmErrorKind.InvalidTemplate, $"Cannot read {path}: {e.Message}", Path.GetFileName(path), 0, 0, path, e);
        }
    }

    private static async Task<JsonObject> ReadJsonAsync(string path, CancellationToken cancellationToken)
    {
        string text = await ReadTextAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonNode.Parse(text) as JsonObject
                ?? throw new ChatTemplateException(SllmErrorKind.InvalidTemplate, $"{path} is not a JSON object", Path.GetFileName(path), 0, 0, path);
        }
        catch (JsonException e)
        {
            int line = (int)(e.LineNumber ?? -1) + 1;
            int column = (int)(e.BytePositionInLine ?? -1) + 1;
            throw new ChatTemplateException(SllmErrorKind.InvalidTemplate, $"Malformed JSON: {e.Message}", Path.GetFileName(path), line, column, path, e);
        }
    }

    private static ChatTemplateException Missing(string path, string what) =>
        new(SllmErrorKind.InvalidTemplate, $"{path} {what}", Path.GetFileName(path), 0, 0, path);

    private static ChatTemplateException Invalid(string path, string name, string what) =>
        new(SllmErrorKind.InvalidTemplate, $"{path} {what}", name, 0, 0, path);
}
