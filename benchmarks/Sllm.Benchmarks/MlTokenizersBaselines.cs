using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Sllm.Benchmarks;

/// <summary>
/// Builds Microsoft.ML.Tokenizers' own tokenizers from the same vocabulary a Hugging Face tokenizer.json holds, so the
/// benchmark compares like with like: Tiktoken for Llama-3 (rank-ordered byte BPE with <c>ignore_merges</c>) and the
/// byte-level <see cref="BpeTokenizer"/> for Qwen2.5.
/// </summary>
internal static class MlTokenizersBaselines
{
    public static Tokenizer CreateTiktoken(string tokenizerJsonPath)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(tokenizerJsonPath));
        JsonElement root = doc.RootElement;
        Dictionary<char, byte> unicodeToByte = ByteLevelAlphabet();
        var lines = new StringBuilder();
        foreach (JsonProperty entry in root.GetProperty("model").GetProperty("vocab").EnumerateObject())
        {
            byte[] bytes = new byte[entry.Name.Length];
            for (int i = 0; i < entry.Name.Length; i++)
            {
                bytes[i] = unicodeToByte[entry.Name[i]];
            }

            lines.Append(Convert.ToBase64String(bytes)).Append(' ').Append(entry.Value.GetInt32()).Append('\n');
        }

        Dictionary<string, int> special = AddedTokens(root);
        using var vocab = new MemoryStream(Encoding.UTF8.GetBytes(lines.ToString()));
        var preTokenizer = new RegexPreTokenizer(new Regex(SplitPattern(root), RegexOptions.Compiled), special);
        return TiktokenTokenizer.Create(vocab, preTokenizer, normalizer: null, special);
    }

    public static Tokenizer CreateByteLevelBpe(string tokenizerJsonPath)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(tokenizerJsonPath));
        JsonElement root = doc.RootElement;
        JsonElement model = root.GetProperty("model");
        var vocab = new List<KeyValuePair<string, int>>();
        foreach (JsonProperty entry in model.GetProperty("vocab").EnumerateObject())
        {
            vocab.Add(new(entry.Name, entry.Value.GetInt32()));
        }

        var merges = new List<string>();
        foreach (JsonElement merge in model.GetProperty("merges").EnumerateArray())
        {
            merges.Add(merge.ValueKind == JsonValueKind.String ? merge.GetString()! : merge[0].GetString() + " " + merge[1].GetString());
        }

        Dictionary<string, int> special = AddedTokens(root);
        return BpeTokenizer.Create(new BpeOptions(vocab)
        {
            Merges = merges,
            ByteLevel = true,
            SpecialTokens = special,
            PreTokenizer = new RegexPreTokenizer(new Regex(SplitPattern(root), RegexOptions.Compiled), special),
        });
    }

    private static string SplitPattern(JsonElement root)
    {
        foreach (JsonElement pre in root.GetProperty("pre_tokenizer").GetProperty("pretokenizers").EnumerateArray())
        {
            if (pre.GetProperty("type").GetString() == "Split")
            {
                return pre.GetProperty("pattern").GetProperty("Regex").GetString()!;
            }
        }

        throw new InvalidOperationException("tokenizer.json has no Split pre-tokenizer");
    }

    private static Dictionary<string, int> AddedTokens(JsonElement root)
    {
        var special = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (JsonElement token in root.GetProperty("added_tokens").EnumerateArray())
        {
            special[token.GetProperty("content").GetString()!] = token.GetProperty("id").GetInt32();
        }

        return special;
    }

    // GPT-2's reversible byte-to-printable-character map, inverted.
    private static Dictionary<char, byte> ByteLevelAlphabet()
    {
        var map = new Dictionary<char, byte>();
        int extra = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[printable ? (char)b : (char)(256 + extra++)] = (byte)b;
        }

        return map;
    }
}
