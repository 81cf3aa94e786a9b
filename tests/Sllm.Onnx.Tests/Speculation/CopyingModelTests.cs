using Sllm.Generation;
using Sllm.Onnx.Building;
using Sllm.Onnx.Engine;
using Xunit;

namespace Sllm.Onnx.Speculation;

/// <summary>The hand-wired induction model copies from its context the way its circuit says, and prompt lookup, which
/// proposes exactly such copies, is then mostly accepted without changing the greedy output.</summary>
public sealed class CopyingModelTests
{
    private const string Document =
        "Customers asked for faster exports, better filters and a dark theme. The team shipped the new search feature in "
        + "March, fixed the login bug in April, and started the migration to the new database in May. The next quarter will "
        + "focus on exports and filters; the dark theme is planned for the autumn release.";

    internal static Task<string> ModelAsync(int kvHeads = 2, ModelFamily family = ModelFamily.Llama) => TestModels.GetAsync($"copying-{family}-kv{kvHeads}", () =>
    {
        var options = new ModelBuilderOptions
        {
            Family = family,
            HiddenSize = 384,
            NumLayers = 3,
            NumAttentionHeads = 6,
            NumKeyValueHeads = kvHeads,
            IntermediateSize = 64,
            ContextLength = 512,
            Seed = 3,
        };
        InductionWeightSource.Apply(options);
        return options;
    });

    [Theory]
    [InlineData(2, ModelFamily.Llama)]
    [InlineData(1, ModelFamily.Llama)]
    [InlineData(3, ModelFamily.Qwen2)]
    public async Task Greedy_output_follows_the_most_recent_longest_match_of_the_last_three_tokens(int kvHeads, ModelFamily family)
    {
        using OnnxModel model = await TestModels.LoadAsync(await ModelAsync(kvHeads, family));
        int[] prompt = [.. model.Tokenizer!.EncodeToIds("Document: " + Document + "\n\nQuestion: Who did it?\nAnswer: The team", addSpecialTokens: false)];
        int[] output = SpeculationHarness.Plain(model, prompt, SpeculationHarness.Options(model, prompt.Length + 60, share: true));

        int agreed = 0, predicted = 0;
        for (int t = prompt.Length; t < output.Length; t++)
        {
            int expected = InductionOracle(output.AsSpan(0, t));
            if (expected >= 0)
            {
                predicted++;
                agreed += output[t] == expected ? 1 : 0;
            }
        }

        string text = model.Tokenizer.Decode(output.AsSpan(prompt.Length).ToArray());
        Assert.True(predicted >= 50, $"only {predicted} of 60 steps had an earlier occurrence to copy: {text}");
        Assert.True(agreed >= predicted * 0.95, $"{agreed} of {predicted} steps copied what the circuit predicts: {text}");
        // The last three tokens of "shipped the new" (the demo tokenizer splits words) last occur before "database": the
        // circuit jumps there, as prompt lookup would.
        Assert.StartsWith(" shipped the new database in May.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prompt_lookup_on_a_copying_model_is_mostly_accepted_and_exact()
    {
        using OnnxModel model = await TestModels.LoadAsync(await ModelAsync());
        int[] prompt = [.. model.Tokenizer!.EncodeToIds("Fix the typos.\n\n" + Document.Replace("the ", "teh ", StringComparison.Ordinal) + "\n\nFixed: Customers asked", addSpecialTokens: false)];
        GeneratorOptions options = SpeculationHarness.Options(model, prompt.Length + 120, share: false);
        int[] plain = SpeculationHarness.Plain(model, prompt, options);
        int[] speculative = SpeculationHarness.Speculative(model, prompt, options, new PromptLookupDraftProvider(), out SpeculationStats stats, new SpeculativeDecodingOptions());

        Assert.Equal(plain, speculative);
        Assert.True(stats.AcceptanceRate > 0.8, $"acceptance {stats.AcceptanceRate:P1} ({stats.AcceptedTokens} of {stats.DraftedTokens})");
        Assert.True(stats.VerificationPasses * 3 < 120, $"{stats.VerificationPasses} verification passes for 120 tokens");
    }

    [Fact]
    public void A_shape_that_cannot_hold_the_circuit_is_refused_by_name()
    {
        ModelBuilderOptions tiny = ModelBuilderOptions.Tiny();
        double rope = tiny.RopeTheta;
        var ex = Assert.Throws<ArgumentException>(() => InductionWeightSource.Apply(tiny));
        Assert.Equal("HeadSize", ex.ParamName);
        Assert.Contains("HeadSize is 16", ex.Message, StringComparison.Ordinal);
        Assert.Null(tiny.WeightSource);
        Assert.Equal(rope, tiny.RopeTheta);
    }

    [Fact]
    public async Task The_preset_refuses_before_writing_a_shape_changed_beyond_what_the_circuit_fits()
    {
        ModelBuilderOptions options = ModelBuilderOptions.Copying();
        options.ContextLength = 4096;
        string directory = Path.Combine(Path.GetTempPath(), "sllm-copying-refused-" + Guid.NewGuid().ToString("N"));
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => OnnxModelBuilder.BuildAsync(directory, options));
        Assert.Equal("ContextLength", ex.ParamName);
        Assert.Contains("ContextLength is 4096, above 2048", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory));

        options.RopeTheta = 10_000;
        options.ContextLength = 2048;
        Assert.Equal("RopeTheta", Assert.Throws<ArgumentException>(options.Validate).ParamName);
    }

    // The token after the most recent earlier position whose preceding tokens match the last three (else two, else one);
    // -1 when the last token never occurred before.
    private static int InductionOracle(ReadOnlySpan<int> sequence)
    {
        int t = sequence.Length - 1;
        for (int window = 3; window >= 1; window--)
        {
            for (int j = t - 1; j >= window - 1; j--)
            {
                if (sequence.Slice(j - window + 1, window).SequenceEqual(sequence.Slice(t - window + 1, window)))
                {
                    return sequence[j + 1];
                }
            }
        }

        return -1;
    }
}
