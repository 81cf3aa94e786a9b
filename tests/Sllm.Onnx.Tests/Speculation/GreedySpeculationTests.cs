using Sllm.Generation;
using Sllm.Onnx.Engine;
using Xunit;

namespace Sllm.Onnx.Speculation;

/// <summary>Speculative greedy decoding gives exactly the plain tokens, for both providers and both KV layouts.</summary>
public sealed class GreedySpeculationTests
{
    [Theory]
    [InlineData(true, 1f)]
    [InlineData(false, 1f)]
    [InlineData(true, 1.3f)]
    [InlineData(false, 1.3f)]
    public async Task Prompt_lookup_output_is_identical_to_plain_greedy_over_many_prompts(bool share, float penalty)
    {
        using OnnxModel model = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        long drafted = 0, accepted = 0;
        foreach (int[] prompt in SpeculationHarness.Prompts(24, model.VocabularySize))
        {
            GeneratorOptions options = SpeculationHarness.Options(model, prompt.Length + 40, share, penalty);
            int[] plain = SpeculationHarness.Plain(model, prompt, options);
            int[] fast = SpeculationHarness.Speculative(model, prompt, options, new PromptLookupDraftProvider(), out SpeculationStats stats);
            Assert.Equal(plain, fast);
            drafted += stats.DraftedTokens;
            accepted += stats.AcceptedTokens;
        }

        Assert.True(drafted > 0, "prompt lookup never proposed anything");

        // A repetition penalty keeps a random model from repeating itself, so copies are then rejected (still exact).
        Assert.True(penalty != 1 || accepted > 0, "nothing was ever accepted, so the accept path went untested");
    }

    [Theory]
    [InlineData(true, 1f)]
    [InlineData(false, 1f)]
    [InlineData(true, 1.3f)]
    [InlineData(false, 1.3f)]
    public async Task Draft_model_output_is_identical_to_plain_greedy_over_many_prompts(bool share, float penalty)
    {
        using OnnxModel model = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        using OnnxModel draft = await TestModels.LoadAsync(await SpeculationHarness.SmallDraftAsync());
        long passes = 0, accepted = 0;
        foreach (int[] prompt in SpeculationHarness.Prompts(20, model.VocabularySize))
        {
            GeneratorOptions options = SpeculationHarness.Options(model, prompt.Length + 30, share, penalty);
            int[] plain = SpeculationHarness.Plain(model, prompt, options);
            using var provider = new DraftModelProvider(draft, model, options.MaxLength!.Value, options.EosTokenIds.ToArray(), penalty);
            int[] fast = SpeculationHarness.Speculative(model, prompt, options, provider, out SpeculationStats stats);
            Assert.Equal(plain, fast);
            passes += stats.VerificationPasses;
            accepted += stats.AcceptedTokens;
        }

        Assert.True(passes > 20, $"{passes} verification passes");
        Assert.True(accepted > 0, "a random one-layer draft agreed with the target nowhere");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_draft_identical_to_the_target_is_always_accepted(bool share)
    {
        using OnnxModel model = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        using OnnxModel twin = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        long drafted = 0, accepted = 0, generated = 0, passes = 0;
        foreach (int[] prompt in SpeculationHarness.Prompts(6, model.VocabularySize))
        {
            GeneratorOptions options = SpeculationHarness.Options(model, prompt.Length + 40, share);
            int[] plain = SpeculationHarness.Plain(model, prompt, options);
            using var provider = new DraftModelProvider(twin, model, options.MaxLength!.Value, options.EosTokenIds.ToArray());
            int[] fast = SpeculationHarness.Speculative(model, prompt, options, provider, out SpeculationStats stats);
            Assert.Equal(plain, fast);
            drafted += stats.DraftedTokens;
            accepted += stats.AcceptedTokens;
            passes += stats.VerificationPasses + stats.PlainSteps;
            generated += fast.Length - prompt.Length;
        }

        Assert.Equal(drafted, accepted);
        Assert.True(accepted > generated / 2, $"{accepted} of {generated} accepted");

        // Full acceptance grows K (4, 6, 8, ...), so far fewer target passes than tokens.
        Assert.True(passes * 4 < generated, $"{passes} target passes for {generated} tokens");
    }

    [Fact]
    public async Task End_of_sequence_inside_an_accepted_run_ends_the_sequence_there()
    {
        using OnnxModel model = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        using OnnxModel twin = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        int[] prompt = [5, 17, 42, 99, 7, 3];
        int[] reference = SpeculationHarness.Plain(model, prompt, SpeculationHarness.Options(model, 60, share: true));

        // Make the 12th generated token the end-of-sequence id: a twin draft proposes it inside a long accepted run.
        int eos = reference[prompt.Length + 11];
        GeneratorOptions options = SpeculationHarness.Options(model, 60, share: true, eos: eos);
        int[] plain = SpeculationHarness.Plain(model, prompt, options);
        using var provider = new DraftModelProvider(twin, model, 60, [eos]);
        int[] fast = SpeculationHarness.Speculative(model, prompt, options, provider, out SpeculationStats stats);
        Assert.Equal(plain, fast);
        Assert.Equal(eos, fast[^1]);
        Assert.True(fast.Length <= prompt.Length + 12);
        Assert.True(stats.AcceptedTokens > 0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Max_length_inside_an_accepted_run_stops_exactly_there(bool share)
    {
        using OnnxModel model = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        using OnnxModel twin = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        int[] prompt = [5, 17, 42, 99];
        for (int maxLength = prompt.Length + 1; maxLength < prompt.Length + 12; maxLength++)
        {
            GeneratorOptions options = SpeculationHarness.Options(model, maxLength, share);
            int[] plain = SpeculationHarness.Plain(model, prompt, options);
            using var provider = new DraftModelProvider(twin, model, maxLength, options.EosTokenIds.ToArray());
            int[] fast = SpeculationHarness.Speculative(model, prompt, options, provider, out _);
            Assert.Equal(plain, fast);
            Assert.Equal(maxLength, fast.Length);
        }
    }
}
