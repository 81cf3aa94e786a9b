using System.Text.Json;
using Sllm.Tokenization.Decoders;
using Sllm.Tokenization.Models;

namespace Sllm.Tokenization.Json;

/// <summary>Reads tokenizer.json, tokenizer_config.json and special_tokens_map.json into a <see cref="TokenizerDefinition"/>.</summary>
internal static class TokenizerJsonLoader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 128 };

    private static readonly string[] SpecialKeys =
        ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"];

    public static JsonDocument Parse(Stream stream, string file)
    {
        try
        {
            return JsonDocument.Parse(stream, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new TokenizerLoadException(file, ex.Path is { Length: > 0 } p ? p : null,
                $"malformed JSON at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new TokenizerLoadException(file, null, $"cannot read the file: {ex.Message}", ex);
        }
    }

    public static TokenizerDefinition Build(JsonDocument tokenizer, string tokenizerFile, JsonDocument? config, string configFile,
        JsonDocument? specialMap, string specialMapFile, HuggingFaceTokenizerOptions options)
    {
        var root = new JsonNode(tokenizer.RootElement, "$", tokenizerFile);
        root.ExpectObject();
        if (root.Optional("truncation") is not null)
        {
            // Truncation/padding change ids silently; the engine does its own context management.
            throw root.Required("truncation").Error("truncation is not supported (set it to null)");
        }

        if (root.Optional("padding") is not null)
        {
            throw root.Required("padding").Error("padding is not supported (set it to null)");
        }

        JsonNode modelNode = root.Required("model");
        var vocabulary = new Vocabulary(ModelFactory.VocabularyCapacity(modelNode) + 512);
        TokenizerModel model = ModelFactory.CreateModel(modelNode, vocabulary, Math.Max(0, options.WordCacheCapacity));

        var added = new List<HuggingFaceAddedToken>();
        if (root.Optional("added_tokens") is { } list)
        {
            for (int i = 0; i < list.Count; i++)
            {
                JsonNode item = list.Item(i);
                int id = item.Required("id").GetInt32();
                if (id < 0)
                {
                    throw item.Required("id").Error("added token ids must be non-negative");
                }

                string content = item.Required("content").GetString();
                if (content.Length == 0)
                {
                    throw item.Required("content").Error("added token content must not be empty");
                }

                bool special = item.OptionalBoolean("special", false);
                var token = new HuggingFaceAddedToken(id, content, special, item.OptionalBoolean("normalized", !special),
                    item.OptionalBoolean("lstrip", false), item.OptionalBoolean("rstrip", false), item.OptionalBoolean("single_word", false));
                added.Add(token);
                vocabulary.Set(content, id);
            }
        }

        var definition = new TokenizerDefinition
        {
            Vocabulary = vocabulary,
            Model = model,
            Normalizer = ComponentFactory.CreateNormalizer(root.Optional("normalizer")),
            PreTokenizer = ComponentFactory.CreatePreTokenizer(root.Optional("pre_tokenizer")),
            PostProcessor = ModelFactory.CreatePostProcessor(root.Optional("post_processor"), vocabulary),
            Decoder = ComponentFactory.CreateDecoder(root.Optional("decoder")),
            AddedTokens = added,
            ConfigSpecialTokens = ReadSpecialTokens(config, configFile, specialMap, specialMapFile),
            AdditionalSpecialTokens = ReadAdditional(config, configFile),
            CleanUpTokenizationSpaces = options.CleanUpTokenizationSpaces ?? ReadConfigFlag(config, configFile, "clean_up_tokenization_spaces", true),
            RemoveSpace = ReadConfigFlag(config, configFile, "remove_space", false),
            LowercaseAndRemoveAccent = ReadConfigFlag(config, configFile, "do_lowercase_and_remove_accent", false),
        };

        if (definition.Decoder is ByteLevelDecoder byteLevel)
        {
            var contents = new HashSet<string>(StringComparer.Ordinal);
            foreach (HuggingFaceAddedToken token in added)
            {
                contents.Add(token.Content);
            }

            byteLevel.SetAddedTokens(contents);
        }

        return definition;
    }

    private static bool ReadConfigFlag(JsonDocument? config, string file, string name, bool fallback)
    {
        if (config is null)
        {
            return fallback;
        }

        var root = new JsonNode(config.RootElement, "$", file);
        root.ExpectObject();
        return root.OptionalBoolean(name, fallback);
    }

    private static Dictionary<string, string> ReadSpecialTokens(JsonDocument? config, string configFile, JsonDocument? map, string mapFile)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((JsonDocument? doc, string file) in new[] { (config, configFile), (map, mapFile) })
        {
            if (doc is null)
            {
                continue;
            }

            var root = new JsonNode(doc.RootElement, "$", file);
            root.ExpectObject();
            foreach (string key in SpecialKeys)
            {
                if (!result.ContainsKey(key) && root.Optional(key) is { } value && ReadTokenString(value) is { } text)
                {
                    result[key] = text;
                }
            }
        }

        return result;
    }

    private static List<string> ReadAdditional(JsonDocument? config, string file)
    {
        var result = new List<string>();
        if (config is null)
        {
            return result;
        }

        var root = new JsonNode(config.RootElement, "$", file);
        if (root.Optional("additional_special_tokens") is { } list)
        {
            for (int i = 0; i < list.Count; i++)
            {
                if (ReadTokenString(list.Item(i)) is { } text)
                {
                    result.Add(text);
                }
            }
        }

        return result;
    }

    /// <summary>A special token is a string or an AddedToken object (<c>{"content": ...}</c>).</summary>
    private static string? ReadTokenString(JsonNode value) => value.Kind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Object => value.Required("content").GetString(),
        JsonValueKind.Null => null,
        _ => throw value.Error("expected a token string or an object with 'content'"),
    };
}
