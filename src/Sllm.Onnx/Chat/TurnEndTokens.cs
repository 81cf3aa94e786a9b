using System.Text.Json;
using Sllm.Tokenization;

namespace Sllm.Onnx;

/// <summary>The token ids that end an assistant turn: the config's end-of-sequence ids plus the tokens chat templates close
/// turns with.</summary>
/// <remarks>Exports often list only the base model's end-of-text id in <c>genai_config.json</c> while the chat template ends a
/// turn with another special token (ChatML's <c>&lt;|im_end|&gt;</c>, Llama 3's <c>&lt;|eot_id|&gt;</c>); without these a chat
/// would run on into an invented next turn.</remarks>
internal static class TurnEndTokens
{
    private static readonly string[] KnownTurnEnds =
    [
        "<|im_end|>", "<|eot_id|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>", "</s>", "<|return|>", "<|eom_id|>",
    ];

    public static int[] Resolve(OnnxModel model)
    {
        var ids = new List<int>(model.EosTokenIds);
        HuggingFaceTokenizer? tokenizer = model.Tokenizer;
        if (tokenizer is not null)
        {
            Add(ids, tokenizer.EosTokenId, model.VocabularySize);
            foreach (string token in KnownTurnEnds)
            {
                Add(ids, tokenizer.TokenToId(token), model.VocabularySize);
            }
        }

        foreach (int id in ReadGenerationConfig(model.Directory))
        {
            Add(ids, id, model.VocabularySize);
        }

        return [.. ids];
    }

    private static void Add(List<int> ids, int? id, int vocabulary)
    {
        if (id is int value && value >= 0 && value < vocabulary && !ids.Contains(value))
        {
            ids.Add(value);
        }
    }

    private static List<int> ReadGenerationConfig(string directory)
    {
        var ids = new List<int>();
        string path = Path.Combine(directory, "generation_config.json");
        if (!File.Exists(path))
        {
            return ids;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("eos_token_id", out JsonElement eos))
            {
                if (eos.ValueKind == JsonValueKind.Number && eos.TryGetInt32(out int single))
                {
                    ids.Add(single);
                }
                else if (eos.ValueKind == JsonValueKind.Array)
                {
                    foreach (JsonElement item in eos.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out int value))
                        {
                            ids.Add(value);
                        }
                    }
                }
            }
        }
        catch (JsonException ex)
        {
            throw new ModelLoadException($"{path} is not valid JSON: {ex.Message}", path, "eos_token_id", ex);
        }

        return ids;
    }
}
