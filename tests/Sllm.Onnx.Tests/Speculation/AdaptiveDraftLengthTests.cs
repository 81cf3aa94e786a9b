using Sllm.Generation;
using Sllm.Onnx.Engine;
using Xunit;

namespace Sllm.Onnx.Speculation;

/// <summary>Adaptive K grows on full acceptance, shrinks on rejection, and cools down (then re-probes) when nothing pays.</summary>
public sealed class AdaptiveDraftLengthTests
{
    [Fact]
    public async Task Draft_length_grows_on_full_acceptance_up_to_the_maximum()
    {
        using ScriptedRun run = await ScriptedRun.StartAsync(120, share: true);
        (Generator generator, int[] reference) = (run.Generator, run.Reference);
        var decoder = new SpeculativeDecoder(generator, new ScriptedDraft(reference, wrong: false), new SpeculativeDecodingOptions { InitialDraftTokens = 2, MaxDraftTokens = 7 });
        var lengths = new List<int>();
        decoder.Step();
        for (int i = 0; i < 5; i++)
        {
            lengths.Add(decoder.DraftLength);
            decoder.Step();
        }

        Assert.Equal([2, 4, 6, 7, 7], lengths);
        Assert.Equal(decoder.Stats.DraftedTokens, decoder.Stats.AcceptedTokens);
        Assert.Equal(reference.AsSpan(0, generator.TokenCount).ToArray(), generator.GetSequence(0).ToArray());
    }

    [Fact]
    public async Task Rejections_shrink_the_draft_then_cool_down_and_each_failed_probe_doubles_the_pause()
    {
        using ScriptedRun run = await ScriptedRun.StartAsync(200, share: false);
        (Generator generator, int[] reference) = (run.Generator, run.Reference);
        var speculation = new SpeculativeDecodingOptions { InitialDraftTokens = 4, CooldownSteps = 10 };
        var decoder = new SpeculativeDecoder(generator, new ScriptedDraft(reference, wrong: true), speculation);
        decoder.Step();
        var lengths = new List<int>();
        for (int i = 0; i < 3; i++)
        {
            lengths.Add(decoder.DraftLength);
            decoder.Step();
        }

        Assert.Equal([4, 3, 2], lengths);
        Assert.True(decoder.IsCoolingDown);
        Assert.Equal(1, decoder.Stats.Cooldowns);
        long passes = decoder.Stats.VerificationPasses;
        for (int i = 0; i < 10; i++)
        {
            decoder.Step();
        }

        Assert.Equal(passes, decoder.Stats.VerificationPasses);
        Assert.False(decoder.IsCoolingDown);

        // A single one-token probe fails: the next pause, twice as long, starts at once.
        Assert.Equal(1, decoder.DraftLength);
        decoder.Step();
        Assert.Equal(passes + 1, decoder.Stats.VerificationPasses);
        Assert.Equal(2, decoder.Stats.Cooldowns);
        for (int i = 0; i < 20; i++)
        {
            Assert.True(decoder.IsCoolingDown);
            decoder.Step();
        }

        Assert.False(decoder.IsCoolingDown);
        Assert.Equal(passes + 1, decoder.Stats.VerificationPasses);
        Assert.Equal(0, decoder.Stats.AcceptedTokens);
        Assert.Equal(reference.AsSpan(0, generator.TokenCount).ToArray(), generator.GetSequence(0).ToArray());
    }

    [Fact]
    public async Task An_accepted_probe_resumes_speculation_and_resets_the_pause()
    {
        using ScriptedRun run = await ScriptedRun.StartAsync(200, share: false);
        (Generator generator, int[] reference) = (run.Generator, run.Reference);
        var draft = new ScriptedDraft(reference, wrong: true);
        var decoder = new SpeculativeDecoder(generator, draft, new SpeculativeDecodingOptions { InitialDraftTokens = 4, CooldownSteps = 10 });
        for (int i = 0; i < 4; i++)
        {
            decoder.Step();
        }

        Assert.True(decoder.IsCoolingDown);
        for (int i = 0; i < 10; i++)
        {
            decoder.Step();
        }

        // The provider has become right: the probe is accepted, and the draft grows again without another pause.
        draft.Wrong = false;
        var lengths = new List<int>();
        for (int i = 0; i < 4; i++)
        {
            lengths.Add(decoder.DraftLength);
            decoder.Step();
        }

        Assert.Equal([1, 3, 5, 7], lengths);
        Assert.Equal(1, decoder.Stats.Cooldowns);
        Assert.False(decoder.IsCoolingDown);
        Assert.Equal(reference.AsSpan(0, generator.TokenCount).ToArray(), generator.GetSequence(0).ToArray());
    }

    [Fact]
    public async Task A_lucky_probe_followed_by_a_miss_pauses_again_at_once_and_longer()
    {
        using ScriptedRun run = await ScriptedRun.StartAsync(200, share: false);
        (Generator generator, int[] reference) = (run.Generator, run.Reference);
        var draft = new ScriptedDraft(reference, wrong: true);
        var decoder = new SpeculativeDecoder(generator, draft, new SpeculativeDecodingOptions { InitialDraftTokens = 4, CooldownSteps = 10 });
        for (int i = 0; i < 14; i++)
        {
            decoder.Step();
        }

        // The probe happens to be right once; the next draft misses.
        draft.RightProposals = 1;
        decoder.Step();
        Assert.Equal(1, decoder.Stats.AcceptedTokens);
        Assert.False(decoder.IsCoolingDown);
        decoder.Step();
        Assert.True(decoder.IsCoolingDown);
        Assert.Equal(2, decoder.Stats.Cooldowns);
        long passes = decoder.Stats.VerificationPasses;
        for (int i = 0; i < 20; i++)
        {
            decoder.Step();
        }

        Assert.Equal(passes, decoder.Stats.VerificationPasses);
        Assert.False(decoder.IsCoolingDown);
        Assert.Equal(reference.AsSpan(0, generator.TokenCount).ToArray(), generator.GetSequence(0).ToArray());
    }

    [Fact]
    public async Task Without_adaptation_an_accepted_probe_restores_the_initial_draft_length()
    {
        using ScriptedRun run = await ScriptedRun.StartAsync(200, share: false);
        (Generator generator, int[] reference) = (run.Generator, run.Reference);
        var draft = new ScriptedDraft(reference, wrong: true);
        var decoder = new SpeculativeDecoder(generator, draft, new SpeculativeDecodingOptions { InitialDraftTokens = 3, CooldownSteps = 10, Adaptive = false });
        var lengths = new List<int>();
        for (int i = 0; i < 4; i++)
        {
            lengths.Add(decoder.DraftLength);
            decoder.Step();
        }

        for (int i = 0; i < 10; i++)
        {
            decoder.Step();
        }

        draft.Wrong = false;
        for (int i = 0; i < 3; i++)
        {
            lengths.Add(decoder.DraftLength);
            decoder.Step();
        }

        Assert.Equal([3, 3, 3, 3, 1, 3, 3], lengths);
        Assert.Equal(reference.AsSpan(0, generator.TokenCount).ToArray(), generator.GetSequence(0).ToArray());
    }

    [Fact]
    public async Task A_batch_cannot_speculate_and_says_why()
    {
        using OnnxModel model = await TestModels.LoadAsync(await TestModels.LlamaAsync());
        using Generator generator = model.CreateGenerator(new GeneratorOptions { BatchSize = 2, MaxLength = 20 });
        Assert.False(generator.SupportsSpeculation);
        var ex = Assert.Throws<GenerationException>(() => new SpeculativeDecoder(generator, new PromptLookupDraftProvider()));
        Assert.Equal(SllmErrorKind.UnsupportedOperation, ex.Kind);
        Assert.Contains("batch of 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prompt_lookup_proposes_the_continuation_of_the_most_recent_longest_match()
    {
        var provider = new PromptLookupDraftProvider(1, 3);
        int[] draft = new int[4];

        // "7 8 9" occurs twice; the most recent one is followed by 4 5.
        Assert.Equal(4, provider.Propose([7, 8, 9, 1, 2, 7, 8, 9, 4, 5, 6, 7, 8, 9], draft, default));
        Assert.Equal([4, 5, 6, 7], draft);

        // A repeating tail keeps copying past the end of the sequence.
        Assert.Equal(4, provider.Propose([3, 1, 2, 1, 2], draft, default));
        Assert.Equal([1, 2, 1, 2], draft);
        Assert.Equal(0, provider.Propose([1, 2, 3, 4], draft, default));
    }

    /// <summary>The Llama test model's generator with a fixed prompt appended, and the plain run's output to compare with.</summary>
    private sealed class ScriptedRun : IDisposable
    {
        private readonly OnnxModel model;

        private ScriptedRun(OnnxModel model, Generator generator, int[] reference)
        {
            this.model = model;
            Generator = generator;
            Reference = reference;
        }

        public Generator Generator { get; }

        public int[] Reference { get; }

        public static async Task<ScriptedRun> StartAsync(int maxLength, bool share)
        {
            OnnxModel model = await TestModels.LoadAsync(await TestModels.LlamaAsync());
            int[] prompt = [5, 17, 42, 99];
            GeneratorOptions options = SpeculationHarness.Options(model, maxLength, share);
            int[] reference = SpeculationHarness.Plain(model, prompt, options);
            Generator generator = model.CreateGenerator(options);
            generator.AppendTokens(prompt);
            return new ScriptedRun(model, generator, reference);
        }

        public void Dispose()
        {
            Generator.Dispose();
            model.Dispose();
        }
    }

    /// <summary>Proposes the reference continuation, or a token that is always wrong.</summary>
    private sealed class ScriptedDraft(int[] reference, bool wrong) : IDraftProvider
    {
        public bool Wrong { get; set; } = wrong;

        /// <summary>Gets or sets how many proposals are right before <see cref="Wrong"/> applies again.</summary>
        public int RightProposals { get; set; }

        public bool ProducesDistributions => false;

        public void Reset(ReadOnlySpan<int> prompt)
        {
        }

        public int Propose(ReadOnlySpan<int> sequence, Span<int> draft, Span<float> distributions)
        {
            int count = Math.Min(draft.Length, reference.Length - sequence.Length);
            bool wrong = Wrong && RightProposals == 0;
            RightProposals = Math.Max(0, RightProposals - 1);
            for (int i = 0; i < count; i++)
            {
                int right = reference[sequence.Length + i];
                draft[i] = wrong ? (right + 1) % 600 : right;
            }

            return count;
        }

        public void Accept(ReadOnlySpan<int> sequence, int acceptedTokens)
        {
        }
    }
}
