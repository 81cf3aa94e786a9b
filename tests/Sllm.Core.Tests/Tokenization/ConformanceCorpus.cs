using System.Collections.Concurrent;
using System.Text.Json;
using Sllm.Testing;
using Sllm.Tokenization;

namespace Sllm.Tests.Tokenization;

/// <summary>Reads the shared conformance corpus (families, cases, expected outputs) and caches loaded tokenizers.</summary>
internal static class ConformanceCorpus
{
    private static readonly ConcurrentDictionary<string, HuggingFaceTokenizer> Tokenizers = new();

    public static IEnumerable<object[]> Families()
    {
        if (!SharedData.IsAvailable)
        {
            yield return ["(shared corpus absent)"];
            yield break;
        }

        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllBytes(SharedData.PathOf("conformance", "manifest.json")));
        foreach (JsonElement family in manifest.RootElement.GetProperty("tokenizers").EnumerateArray())
        {
            yield return [family.GetProperty("family").GetString()!];
        }
    }

    public static string DirectoryOf(string family) => SharedData.PathOf("conformance", "tokenizers", family);

    public static HuggingFaceTokenizer Load(string family) =>
        Tokenizers.GetOrAdd(family, f => HuggingFaceTokenizer.Create(DirectoryOf(f)));

    public static IReadOnlyList<ExpectedResult> Expected(string family)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(SharedData.PathOf("conformance", "expected", family + ".tokens.json")));
        var results = new List<ExpectedResult>();
        foreach (JsonElement r in doc.RootElement.GetProperty("results").EnumerateArray())
        {
            results.Add(new ExpectedResult(
                r.GetProperty("id").GetString()!,
                r.GetProperty("text").GetString()!,
                r.GetProperty("add_special_tokens").GetBoolean(),
                [.. r.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32())],
                [.. r.GetProperty("tokens").EnumerateArray().Select(x => x.GetString()!)],
                r.GetProperty("decoded").GetString()!,
                r.GetProperty("decoded_skip_special").GetString()!));
        }

        return results;
    }

    internal sealed record ExpectedResult(string Id, string Text, bool AddSpecialTokens, int[] Ids, string[] Tokens, string Decoded, string DecodedSkipSpecial);
}
