using System.Text.Json;
using Sllm.Tokenization.Models;
using Sllm.Tokenization.PostProcessors;

namespace Sllm.Tokenization.Json;

/// <summary>Builds the model (and its vocabulary) and the post-processor from tokenizer.json nodes.</summary>
internal static class ModelFactory
{
    public static TokenizerModel CreateModel(JsonNode node, Vocabulary vocabulary, int cacheCapacity)
    {
        node.ExpectObject();
        string type = node.Optional("type")?.GetString() ?? InferType(node);
        return type switch
        {
            "BPE" => CreateBpe(node, vocabulary, cacheCapacity),
            "WordPiece" => CreateWordPiece(node, vocabulary),
            "Unigram" => CreateUnigram(node, vocabulary),
            _ => throw node.Required("type").Error($"unsupported model '{type}'"),
        };
    }

    /// <summary>Counts the ids the model's vocabulary needs (to size tables before filling them).</summary>
    public static int VocabularyCapacity(JsonNode model)
    {
        JsonNode? vocab = model.Optional("vocab");
        return vocab is { Kind: JsonValueKind.Object } v ? v.Element.EnumerateObject().Count()
            : vocab is { Kind: JsonValueKind.Array } a ? a.Count : 0;
    }

    private static string InferType(JsonNode node)
    {
        JsonNode vocab = node.Required("vocab");
        if (vocab.Kind == JsonValueKind.Array)
        {
            return "Unigram";
        }

        if (node.Has("merges"))
        {
            return "BPE";
        }

        return node.Has("continuing_subword_prefix") ? "WordPiece" : throw node.Error("cannot infer the model type (no 'type' property)");
    }

    private static void ReadVocab(JsonNode node, Vocabulary vocabulary)
    {
        JsonNode vocab = node.Required("vocab");
        vocab.ExpectObject();
        foreach (JsonProperty entry in vocab.Element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out int id) || id < 0)
            {
                throw new JsonNode(entry.Value, vocab.Path + "[" + JsonSerializer.Serialize(entry.Name, TokenizerJsonContext.Default.String) + "]", vocab.File)
                    .Error("expected a non-negative integer id");
            }

            vocabulary.Set(entry.Name, id);
        }
    }

    private static int ReadUnk(JsonNode node, Vocabulary vocabulary, string property)
    {
        if (node.OptionalString(property) is not { } unk)
        {
            return -1;
        }

        return vocabulary.TryGetId(unk, out int id) ? id : throw node.Required(property).Error($"unk token '{unk}' is not in the vocabulary");
    }

    private static BpeModel CreateBpe(JsonNode node, Vocabulary vocabulary, int cacheCapacity)
    {
        if (node.Optional("dropout") is { } dropout && dropout.GetDouble() != 0)
        {
            throw dropout.Error("BPE dropout is not supported (it makes encoding random)");
        }

        ReadVocab(node, vocabulary);
        string? prefix = node.OptionalString("continuing_subword_prefix");
        JsonNode merges = node.Required("merges");
        merges.ExpectArray();
        var table = new Dictionary<long, long>(merges.Count, PairKeyComparer.Instance);
        int rank = 0;
        char[] scratch = new char[256];
        foreach (JsonElement merge in merges.Element.EnumerateArray())
        {
            string first, second;
            int leftLength;
            if (merge.ValueKind == JsonValueKind.String)
            {
                first = merge.GetString()!;
                int space = first.IndexOf(' ', StringComparison.Ordinal);
                if (space < 0 || first.IndexOf(' ', space + 1) >= 0)
                {
                    throw merges.Item(rank).Error($"merge '{first}' is not two tokens separated by one space");
                }

                second = first;
                leftLength = space;
            }
            else if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2
                && merge[0].ValueKind == JsonValueKind.String && merge[1].ValueKind == JsonValueKind.String)
            {
                first = merge[0].GetString()!;
                second = merge[1].GetString()!;
                leftLength = first.Length;
            }
            else
            {
                throw merges.Item(rank).Error("expected a merge: \"a b\" or [\"a\", \"b\"]");
            }

            ReadOnlySpan<char> left = first.AsSpan(0, leftLength);
            ReadOnlySpan<char> right = ReferenceEquals(first, second) ? first.AsSpan(leftLength + 1) : second.AsSpan();
            ReadOnlySpan<char> rightRest = prefix is { Length: > 0 } && right.StartsWith(prefix, StringComparison.Ordinal) ? right[prefix.Length..] : right;
            if (scratch.Length < left.Length + rightRest.Length)
            {
                scratch = new char[left.Length + rightRest.Length];
            }

            left.CopyTo(scratch);
            rightRest.CopyTo(scratch.AsSpan(left.Length));
            if (!vocabulary.TryGetId(left, out int a) || !vocabulary.TryGetId(right, out int b)
                || !vocabulary.TryGetId(scratch.AsSpan(0, left.Length + rightRest.Length), out int m))
            {
                throw merges.Item(rank).Error($"merge ('{left}', '{right}') uses a token that is not in the vocabulary");
            }

            table[BpeModel.PairKey(a, b)] = BpeModel.MergeValue(rank, m);
            rank++;
        }

        return new BpeModel(vocabulary, table, ReadUnk(node, vocabulary, "unk_token"), node.OptionalBoolean("fuse_unk", false),
            node.OptionalBoolean("byte_fallback", false), node.OptionalBoolean("ignore_merges", false), prefix,
            node.OptionalString("end_of_word_suffix"), cacheCapacity);
    }

    private static WordPieceModel CreateWordPiece(JsonNode node, Vocabulary vocabulary)
    {
        ReadVocab(node, vocabulary);
        int max = node.OptionalInt32("max_input_chars_per_word", 100);
        return new WordPieceModel(vocabulary, ReadUnk(node, vocabulary, "unk_token"), node.OptionalString("continuing_subword_prefix") ?? "##", max);
    }

    private static UnigramModel CreateUnigram(JsonNode node, Vocabulary vocabulary)
    {
        JsonNode vocab = node.Required("vocab");
        vocab.ExpectArray();
        var pieces = new List<(string, double)>(vocab.Count);
        int index = 0;
        foreach (JsonElement entry in vocab.Element.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Array || entry.GetArrayLength() != 2 || entry[0].ValueKind != JsonValueKind.String
                || entry[1].ValueKind != JsonValueKind.Number)
            {
                throw vocab.Item(index).Error("expected a [piece, score] pair");
            }

            string piece = entry[0].GetString()!;
            pieces.Add((piece, entry[1].GetDouble()));
            if (!vocabulary.Contains(piece))
            {
                vocabulary.Set(piece, index);
            }

            index++;
        }

        int unk = -1;
        if (node.Optional("unk_id") is { } unkNode)
        {
            unk = unkNode.GetInt32();
            if (unk < 0 || unk >= pieces.Count)
            {
                throw unkNode.Error($"unk_id {unk} is outside the vocabulary");
            }
        }

        return new UnigramModel(vocabulary, pieces, unk, node.OptionalBoolean("byte_fallback", false));
    }

    public static TokenPostProcessor? CreatePostProcessor(JsonNode? maybe, Vocabulary vocabulary)
    {
        if (maybe is not { } node)
        {
            return null;
        }

        string type = node.Type();
        switch (type)
        {
            case "ByteLevel":
                // Only offsets change (trim_offsets defaults to true, as in the reference).
                return node.OptionalBoolean("trim_offsets", true)
                    ? new OffsetTrimPostProcessor(node.OptionalBoolean("add_prefix_space", true), vocabulary)
                    : null;
            case "TemplateProcessing":
                {
                    JsonNode single = node.Required("single");
                    JsonNode? specials = node.Optional("special_tokens");
                    var before = new List<int>();
                    var after = new List<int>();
                    bool seenA = false;
                    for (int i = 0; i < single.Count; i++)
                    {
                        JsonNode item = single.Item(i);
                        if (item.Optional("SpecialToken") is { } special)
                        {
                            (seenA ? after : before).AddRange(ResolveSpecial(special.Required("id"), specials, vocabulary));
                        }
                        else if (item.Optional("Sequence") is { } sequence)
                        {
                            if (sequence.Required("id").GetString() != "A" || seenA)
                            {
                                throw sequence.Required("id").Error("a single-sequence template must use sequence A once");
                            }

                            seenA = true;
                        }
                        else
                        {
                            throw item.Error("expected a SpecialToken or Sequence item");
                        }
                    }

                    return new TemplatePostProcessor([.. before], [.. after]);
                }

            case "BertProcessing":
            case "RobertaProcessing":
                {
                    int cls = ResolvePair(node.Required("cls"), vocabulary);
                    int sep = ResolvePair(node.Required("sep"), vocabulary);
                    var template = new TemplatePostProcessor([cls], [sep]);
                    return type == "RobertaProcessing" && node.OptionalBoolean("trim_offsets", true)
                        ? new SequencePostProcessor([new OffsetTrimPostProcessor(node.OptionalBoolean("add_prefix_space", true), vocabulary), template])
                        : template;
                }

            case "Sequence":
                {
                    JsonNode list = node.Required("processors");
                    var items = new List<TokenPostProcessor>();
                    for (int i = 0; i < list.Count; i++)
                    {
                        if (CreatePostProcessor(list.Item(i), vocabulary) is { } p)
                        {
                            items.Add(p);
                        }
                    }

                    return new SequencePostProcessor(items);
                }

            default:
                throw node.Required("type").Error($"unsupported post-processor '{type}'");
        }
    }

    private static int[] ResolveSpecial(JsonNode idNode, JsonNode? specials, Vocabulary vocabulary)
    {
        string token = idNode.GetString();
        if (vocabulary.TryGetId(token, out int id))
        {
            return [id];
        }

        if (specials?.Optional(token) is { } entry)
        {
            JsonNode ids = entry.Required("ids");
            var result = new int[ids.Count];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = ids.Item(i).GetInt32();
            }

            return result;
        }

        throw idNode.Error($"special token '{token}' is neither in the vocabulary nor in special_tokens");
    }

    private static int ResolvePair(JsonNode pair, Vocabulary vocabulary)
    {
        if (pair.Count != 2)
        {
            throw pair.Error("expected [token, id]");
        }

        string token = pair.Item(0).GetString();
        return vocabulary.TryGetId(token, out int id) ? id : pair.Item(1).GetInt32();
    }
}
