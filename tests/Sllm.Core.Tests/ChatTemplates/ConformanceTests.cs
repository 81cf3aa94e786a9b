using System.Text;
using System.Text.Json.Nodes;
using Sllm.Testing;

namespace Sllm.ChatTemplates;

/// <summary>Renders every conformance case with every template of the shared corpus and compares with transformers.js.</summary>
/// <remarks>
/// Where the reference and Python differ (corpus README), this engine follows the reference: smollm3 <c>tool | string</c>
/// and functionary tuple unpacking fail, and <c>trim</c> on a null content (gemma-2, command-r) fails.
/// </remarks>
public sealed class ConformanceTests
{
    private static readonly string[] Families = ["qwen2.5-0.5b-instruct", "llama-3.2-1b-instruct", "phi-3-mini-4k-instruct", "tinyllama-1.1b-chat-v1.0"];

    public static TheoryData<string> Targets()
    {
        var data = new TheoryData<string>();
        if (!SharedData.IsAvailable)
        {
            data.Add("(shared corpus absent)");
            return data;
        }

        foreach (string file in Directory.GetFiles(SharedData.PathOf("conformance", "chat-templates"), "*.jinja").Order(StringComparer.Ordinal))
        {
            data.Add("chat-templates/" + Path.GetFileNameWithoutExtension(file));
        }

        foreach (string family in Families)
        {
            data.Add("tokenizers/" + family);
        }

        return data;
    }

    [SharedFact]
    public void Corpus_HasEveryTemplate() => Assert.Equal(27 + 4, Targets().Count);

    [SharedTheory]
    [MemberData(nameof(Targets))]
    public async Task Render_EveryCase_MatchesReference(string target)
    {
        string name = target[(target.IndexOf('/', StringComparison.Ordinal) + 1)..];
        string path = target.StartsWith("chat-templates/", StringComparison.Ordinal)
            ? SharedData.PathOf("conformance", "chat-templates", name + ".jinja")
            : SharedData.PathOf("conformance", "tokenizers", name);
        ChatTemplate template = await ChatTemplate.LoadAsync(path);

        // Tokenizer families also record the ids of the rendered prompt (encoded without special tokens); a standalone
        // template named after a tokenizer family shares that family's expected file.
        string tokenizerDir = SharedData.PathOf("conformance", "tokenizers", name);
        Tokenization.HuggingFaceTokenizer? tokenizer = Directory.Exists(tokenizerDir) ? await Tokenization.HuggingFaceTokenizer.CreateAsync(tokenizerDir) : null;
        JsonArray cases = JsonNode.Parse(File.ReadAllText(SharedData.PathOf("conformance", "cases", "template-cases.json")))!["cases"]!.AsArray();
        JsonArray expected = JsonNode.Parse(File.ReadAllText(SharedData.PathOf("conformance", "expected", name + ".template.json")))!["results"]!.AsArray();

        var failures = new StringBuilder();
        int passed = 0;
        for (int i = 0; i < cases.Count; i++)
        {
            JsonNode c = cases[i]!;
            JsonNode want = expected[i]!;
            string id = (string)c["id"]!;
            Assert.Equal(id, (string)want["id"]!);
            var options = new ChatTemplateRenderOptions
            {
                AddGenerationPrompt = (bool?)c["add_generation_prompt"] ?? false,
                TimeProvider = FixedTimeProvider.Corpus,
            };
            string? rendered = null;
            string? error = null;
            try
            {
                rendered = template.RenderJson(c["messages"]!.AsArray(), c["tools"]?.AsArray(), options);
            }
            catch (ChatTemplateException e)
            {
                error = e.Message;
            }

            string? wantRendered = (string?)want["rendered"];
            if (wantRendered is null)
            {
                if (rendered is null)
                {
                    passed++;
                }
                else
                {
                    failures.Append($"{name}/{id}: reference failed ({want["error"]}) but we rendered {Quote(rendered, 0)}\n");
                }
            }
            else if (rendered == wantRendered)
            {
                int[] wantIds = want["ids"] is JsonArray ids ? [.. ids.Select(static n => (int)n!)] : [];
                IReadOnlyList<int> actualIds = tokenizer?.EncodeToIds(rendered, addSpecialTokens: false) ?? [];
                if (actualIds.SequenceEqual(wantIds))
                {
                    passed++;
                }
                else
                {
                    failures.Append($"{name}/{id}: rendered text matches but ids differ: expected [{string.Join(",", wantIds)}], got [{string.Join(",", actualIds)}]\n");
                }
            }
            else if (rendered is null)
            {
                failures.Append($"{name}/{id}: we failed: {error}\n");
            }
            else
            {
                failures.Append($"{name}/{id}: {DiffHint(wantRendered, rendered)}\n");
            }
        }

        Assert.True(failures.Length == 0, $"{name}: {passed}/{cases.Count} cases match\n{failures}");
    }

    internal static string DiffHint(string expected, string actual)
    {
        int i = 0;
        while (i < expected.Length && i < actual.Length && expected[i] == actual[i])
        {
            i++;
        }

        return $"first difference at index {i} (lengths {expected.Length} vs {actual.Length}): expected ...{Quote(expected, i)}..., got ...{Quote(actual, i)}...";
    }

    private static string Quote(string s, int at)
    {
        int start = Math.Max(0, at - 30);
        string window = s.Substring(start, Math.Min(s.Length - start, 60));
        return System.Text.Json.JsonSerializer.Serialize(window);
    }
}
