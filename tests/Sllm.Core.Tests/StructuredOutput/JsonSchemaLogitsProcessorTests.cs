using System.Diagnostics;
using System.Text.Json;
using Sllm.Testing;
using Sllm.Tokenization;
using Sllm.Tests.Tokenization;
using Xunit;
using Xunit.Abstractions;

namespace Sllm.StructuredOutput;

/// <summary>The token mask on a real 151,646-token byte-level vocabulary (Qwen2.5): random walks through the mask always
/// produce schema-valid JSON; rewinds re-derive the state; IsAllowed agrees with the mask; the mask stays cheap.</summary>
public sealed class JsonSchemaLogitsProcessorTests(ITestOutputHelper output)
{
    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "name": { "type": "string", "maxLength": 12 },
            "count": { "type": "integer" },
            "ratio": { "type": ["number", "null"] },
            "kind": { "enum": ["alpha", "beta", "gamma"] },
            "items": { "type": "array", "items": { "$ref": "#/$defs/Item" }, "minItems": 1, "maxItems": 3 },
            "done": { "type": "boolean" }
          },
          "required": ["name", "count", "kind", "items", "done"],
          "$defs": { "Item": { "type": "object", "properties": { "id": { "type": "integer" }, "label": { "type": "string", "minLength": 1, "maxLength": 6 } }, "required": ["id", "label"] } }
        }
        """;

    private static readonly Lazy<HuggingFaceTokenizer> Qwen = new(() => ConformanceCorpus.Load("qwen2.5-0.5b-instruct"));

    [SharedFact]
    public void Random_walks_through_the_mask_always_give_valid_json_and_the_mask_is_cheap()
    {
        HuggingFaceTokenizer tokenizer = Qwen.Value;
        int end = tokenizer.TokenToId("<|im_end|>")!.Value;
        JsonSchemaConstraint constraint = JsonSchemaConstraint.FromSchema(JsonMatcherTests.Parse(Schema));
        _ = new JsonSchemaLogitsProcessor(tokenizer, constraint, [end]); // builds the per-tokenizer tables outside the timing
        var stopwatch = new Stopwatch();
        int steps = 0;
        for (int seed = 0; seed < 12; seed++)
        {
            var processor = new JsonSchemaLogitsProcessor(tokenizer, constraint, [end]);
            List<int> generated = Walk(processor, tokenizer.VocabularySize + 5, end, new Random(seed), stopwatch, ref steps);
            string text = tokenizer.Decode(generated, skipSpecialTokens: true);
            Assert.True(constraint.Matches(text), $"seed {seed}: {text}");
            using JsonDocument document = JsonDocument.Parse(text);
            Assert.InRange(document.RootElement.GetProperty("items").GetArrayLength(), 1, 3);
            Assert.Contains(document.RootElement.GetProperty("kind").GetString(), (string[])["alpha", "beta", "gamma"]);
        }

        double perToken = stopwatch.Elapsed.TotalMilliseconds / steps;
        output.WriteLine($"{steps} steps, {perToken:F3} ms per token (mask + apply, Qwen2.5 vocabulary)");
        Assert.True(perToken < 20, $"{perToken} ms per token");
    }

    [SharedFact]
    public void Prefix_and_suffix_accept_the_added_token_or_its_spelling_and_end_only_after_the_suffix()
    {
        HuggingFaceTokenizer tokenizer = Qwen.Value;
        int end = tokenizer.TokenToId("<|im_end|>")!.Value;
        int toolCall = tokenizer.TokenToId("<tool_call>")!.Value;
        var options = new JsonSchemaLogitsProcessorOptions { Prefix = "<tool_call>\n", Suffix = "\n</tool_call>" };
        var processor = new JsonSchemaLogitsProcessor(tokenizer, JsonSchemaConstraint.FromSchema(JsonMatcherTests.Parse("""{"type":"object","properties":{"n":{"const":1}},"required":["n"]}""")), [end], options);
        int[] prompt = [1, 2, 3];
        Assert.True(processor.IsAllowed(prompt, 3, toolCall));
        Assert.True(processor.IsAllowed(prompt, 3, tokenizer.TokenToId("<")!.Value));
        Assert.False(processor.IsAllowed(prompt, 3, tokenizer.TokenToId("{")!.Value));
        Assert.False(processor.IsAllowed(prompt, 3, end));

        List<int> generated = Walk(processor, tokenizer.VocabularySize, end, new Random(7), new Stopwatch(), ref Unused);
        Assert.Equal("<tool_call>\n{\"n\":1}\n</tool_call>", tokenizer.Decode(generated, skipSpecialTokens: true));
        int[] whole = [.. prompt, .. generated];
        Assert.True(processor.IsComplete(whole, 3));
        Assert.False(processor.IsComplete(whole.AsSpan(0, whole.Length - 2), 3));
    }

    [SharedFact]
    public void Shrinking_or_changed_sequences_give_the_same_mask_as_a_fresh_processor()
    {
        HuggingFaceTokenizer tokenizer = Qwen.Value;
        int end = tokenizer.TokenToId("<|im_end|>")!.Value;
        JsonSchemaConstraint constraint = JsonSchemaConstraint.FromSchema(JsonMatcherTests.Parse(Schema));
        var processor = new JsonSchemaLogitsProcessor(tokenizer, constraint, [end]);
        List<int> a = Walk(processor, tokenizer.VocabularySize, end, new Random(1), new Stopwatch(), ref Unused);
        List<int> b = Walk(new JsonSchemaLogitsProcessor(tokenizer, constraint, [end]), tokenizer.VocabularySize, end, new Random(2), new Stopwatch(), ref Unused);
        int[] prompt = [9, 9];
        foreach (int[] sequence in (int[][])[[.. prompt, .. a[..5]], [.. prompt, .. b[..8]], [.. prompt, .. a[..2]], [.. prompt, .. a[..^1]]])
        {
            float[] reused = new float[tokenizer.VocabularySize];
            float[] fresh = new float[tokenizer.VocabularySize];
            processor.Process(sequence, 2, reused);
            new JsonSchemaLogitsProcessor(tokenizer, constraint, [end]).Process(sequence, 2, fresh);
            Assert.Equal(fresh, reused);
            for (int token = 0; token < fresh.Length; token += 997)
            {
                Assert.Equal(!float.IsNegativeInfinity(fresh[token]), processor.IsAllowed(sequence, 2, token));
            }
        }
    }

    private static int Unused;

    /// <summary>Samples uniformly among the allowed tokens until an end token.</summary>
    private static List<int> Walk(JsonSchemaLogitsProcessor processor, int vocabulary, int end, Random random, Stopwatch stopwatch, ref int steps)
    {
        var sequence = new List<int> { 1, 2, 3 };
        float[] logits = new float[vocabulary];
        for (int step = 0; step < 400; step++)
        {
            for (int i = 0; i < logits.Length; i++)
            {
                logits[i] = (float)random.NextDouble();
            }

            stopwatch.Start();
            processor.Process(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(sequence), 3, logits);
            stopwatch.Stop();
            steps++;
            int best = 0;
            for (int i = 1; i < logits.Length; i++)
            {
                best = logits[i] > logits[best] ? i : best;
            }

            Assert.False(float.IsNegativeInfinity(logits[best]));
            if (best == end)
            {
                return sequence[3..];
            }

            sequence.Add(best);
        }

        throw new Xunit.Sdk.XunitException("no end token within 400 steps: " + string.Join(',', sequence));
    }
}
