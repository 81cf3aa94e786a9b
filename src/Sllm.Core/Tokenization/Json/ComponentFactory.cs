using System.Text;
using Sllm.Tokenization.Decoders;
using Sllm.Tokenization.Normalizers;
using Sllm.Tokenization.PreTokenizers;
using Sllm.Tokenization.Text;

namespace Sllm.Tokenization.Json;

/// <summary>Builds normalizers, pre-tokenizers and decoders from tokenizer.json nodes; unknown types are errors.</summary>
internal static class ComponentFactory
{
    public static TextNormalizer? CreateNormalizer(JsonNode? maybe)
    {
        if (maybe is not { } node)
        {
            return null;
        }

        string type = node.Type();
        switch (type)
        {
            case "NFC": return new UnicodeFormNormalizer(NormalizationForm.FormC);
            case "NFD": return new UnicodeFormNormalizer(NormalizationForm.FormD);
            case "NFKC": return new UnicodeFormNormalizer(NormalizationForm.FormKC);
            case "NFKD": return new UnicodeFormNormalizer(NormalizationForm.FormKD);
            case "Lowercase": return new LowercaseNormalizer();
            case "StripAccents": return new StripAccentsNormalizer();
            case "Strip": return new StripNormalizer(node.OptionalBoolean("strip_left", true), node.OptionalBoolean("strip_right", true));
            case "Prepend": return new PrependNormalizer(node.Required("prepend").GetString());
            case "Replace": return CreateReplace(node);
            case "BertNormalizer":
                return new BertNormalizer(
                    node.OptionalBoolean("clean_text", true),
                    node.OptionalBoolean("handle_chinese_chars", true),
                    node.Optional("strip_accents")?.GetBoolean(),
                    node.OptionalBoolean("lowercase", true));
            case "Sequence":
                {
                    JsonNode list = node.Required("normalizers");
                    var items = new List<TextNormalizer>(list.Count);
                    for (int i = 0; i < list.Count; i++)
                    {
                        if (CreateNormalizer(list.Item(i)) is { } n)
                        {
                            items.Add(n);
                        }
                    }

                    return new SequenceNormalizer(items);
                }

            default:
                throw node.Required("type").Error($"unsupported normalizer '{type}'");
        }
    }

    public static ReplaceNormalizer CreateReplace(JsonNode node)
    {
        string content = node.Required("content").GetString();
        (string? literal, PatternRegex? regex) = ReadPattern(node.Required("pattern"));
        return new ReplaceNormalizer(literal, regex, content);
    }

    /// <summary>Reads <c>{"String": ...}</c> or <c>{"Regex": ...}</c>.</summary>
    public static (string? Literal, PatternRegex? Regex) ReadPattern(JsonNode pattern)
    {
        if (pattern.Optional("String") is { } s)
        {
            return (s.GetString(), null);
        }

        if (pattern.Optional("Regex") is { } r)
        {
            string source = r.GetString();
            try
            {
                return (null, PatternRegex.FromOniguruma(source));
            }
            catch (ArgumentException ex)
            {
                throw new TokenizerLoadException(r.File, r.Path, $"unsupported or invalid regex: {ex.Message}", ex);
            }
        }

        throw pattern.Error("expected a pattern object with a 'String' or 'Regex' property");
    }

    public static TextPreTokenizer? CreatePreTokenizer(JsonNode? maybe)
    {
        if (maybe is not { } node)
        {
            return null;
        }

        string type = node.Type();
        switch (type)
        {
            case "ByteLevel":
                return new ByteLevelPreTokenizer(node.OptionalBoolean("add_prefix_space", false), node.OptionalBoolean("use_regex", true));
            case "Split":
                {
                    (string? literal, PatternRegex? regex) = ReadPattern(node.Required("pattern"));
                    regex ??= PatternRegex.FromLiteral(literal!);
                    return new SplitPreTokenizer(regex, ReadBehavior(node.Required("behavior")), node.OptionalBoolean("invert", false));
                }

            case "Digits": return new DigitsPreTokenizer(node.OptionalBoolean("individual_digits", false));
            case "Metaspace":
                {
                    string replacement = node.OptionalString("replacement") ?? "\u2581";
                    if (replacement.Length != 1)
                    {
                        throw node.Required("replacement").Error("the replacement must be a single character");
                    }

                    return new MetaspacePreTokenizer(replacement[0], ReadPrependScheme(node), node.OptionalBoolean("split", true));
                }

            case "Whitespace": return new WhitespacePreTokenizer();
            case "WhitespaceSplit": return new WhitespaceSplitPreTokenizer();
            case "BertPreTokenizer": return new BertPreTokenizer();
            case "Punctuation":
                return new PunctuationPreTokenizer(node.Optional("behavior") is { } b ? ReadBehavior(b) : SplitBehavior.Isolated);
            case "Replace": return new ReplacePreTokenizer(CreateReplace(node));
            case "Sequence":
                {
                    JsonNode list = node.Required("pretokenizers");
                    var items = new List<TextPreTokenizer>(list.Count);
                    for (int i = 0; i < list.Count; i++)
                    {
                        if (CreatePreTokenizer(list.Item(i)) is { } p)
                        {
                            items.Add(p);
                        }
                    }

                    return new SequencePreTokenizer(items);
                }

            default:
                throw node.Required("type").Error($"unsupported pre-tokenizer '{type}'");
        }
    }

    public static MetaspacePrependScheme ReadPrependScheme(JsonNode node)
    {
        if (node.Optional("prepend_scheme") is { } scheme)
        {
            return scheme.GetString() switch
            {
                "always" => MetaspacePrependScheme.Always,
                "first" => MetaspacePrependScheme.First,
                "never" => MetaspacePrependScheme.Never,
                string other => throw scheme.Error($"unsupported prepend_scheme '{other}'"),
            };
        }

        return node.OptionalBoolean("add_prefix_space", true) ? MetaspacePrependScheme.Always : MetaspacePrependScheme.Never;
    }

    private static SplitBehavior ReadBehavior(JsonNode node) => node.GetString() switch
    {
        "Removed" => SplitBehavior.Removed,
        "Isolated" => SplitBehavior.Isolated,
        "MergedWithPrevious" => SplitBehavior.MergedWithPrevious,
        "MergedWithNext" => SplitBehavior.MergedWithNext,
        "Contiguous" => SplitBehavior.Contiguous,
        string other => throw node.Error($"unsupported split behavior '{other}'"),
    };

    public static TokenDecoder? CreateDecoder(JsonNode? maybe)
    {
        if (maybe is not { } node)
        {
            return null;
        }

        string type = node.Type();
        switch (type)
        {
            case "ByteLevel": return new ByteLevelDecoder();
            case "ByteFallback": return new ByteFallbackDecoder();
            case "Fuse": return new FuseDecoder();
            case "Replace": return new ReplaceDecoder(CreateReplace(node));
            case "Strip":
                {
                    string content = node.Required("content").GetString();
                    if (content.Length != 1)
                    {
                        throw node.Required("content").Error("the Strip decoder content must be a single character");
                    }

                    return new StripDecoder(content[0], node.OptionalInt32("start", 0), node.OptionalInt32("stop", 0));
                }

            case "Metaspace":
                {
                    string replacement = node.OptionalString("replacement") ?? "\u2581";
                    if (replacement.Length != 1)
                    {
                        throw node.Required("replacement").Error("the replacement must be a single character");
                    }

                    return new MetaspaceDecoder(replacement[0], ReadPrependScheme(node) != MetaspacePrependScheme.Never);
                }

            case "WordPiece": return new WordPieceDecoder(node.OptionalString("prefix") ?? "##", node.OptionalBoolean("cleanup", true));
            case "BPEDecoder": return new BpeDecoder(node.OptionalString("suffix") ?? "</w>");
            case "CTC":
                return new CtcDecoder(node.OptionalString("pad_token") ?? "<pad>", node.OptionalString("word_delimiter_token") ?? "|", node.OptionalBoolean("cleanup", true));
            case "Sequence":
                {
                    JsonNode list = node.Required("decoders");
                    var items = new List<TokenDecoder>(list.Count);
                    for (int i = 0; i < list.Count; i++)
                    {
                        if (CreateDecoder(list.Item(i)) is { } d)
                        {
                            items.Add(d);
                        }
                    }

                    return new SequenceDecoder(items);
                }

            default:
                throw node.Required("type").Error($"unsupported decoder '{type}'");
        }
    }
}
