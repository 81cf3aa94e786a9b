using Sllm.Generation;

namespace Sllm.Onnx;

/// <summary>Drives a <see cref="Generator"/> with an <see cref="IDraftProvider"/>: each <see cref="Step"/> asks for a draft,
/// verifies it in one target pass, adapts the draft length and switches speculation off for a while when too little is
/// accepted to pay for the longer passes.</summary>
/// <remarks>
/// <para>Create after the prompt was appended; then call <see cref="Step"/> while <see cref="Generator.IsDone"/> is
/// <see langword="false"/>, reading the new tokens from <see cref="Generator.GetSequence"/>. Greedy output is identical to
/// calling <see cref="Generator.GenerateNextToken"/> in a loop; sampled output has the same distribution.</para>
/// <para>Draft length: starts at <see cref="SpeculativeDecodingOptions.InitialDraftTokens"/>, +2 after a fully accepted
/// draft, −1 after a rejection. Cool-down: after at least 3 rounds with an exponentially weighted acceptance rate below
/// <see cref="SpeculativeDecodingOptions.MinAcceptanceRate"/>, the next <see cref="SpeculativeDecodingOptions.CooldownSteps"/>
/// steps are plain; then a single one-token draft probes again. A rejected probe starts the next cool-down at once,
/// twice as long (up to 16 times <see cref="SpeculativeDecodingOptions.CooldownSteps"/>); an accepted one resumes
/// speculation, but the next round decides again with the probe only nudging the weighted rate, and the pause length
/// resets only when that rate is back above the minimum. So a provider that is never right costs three short rounds and
/// then one two-position pass per cool-down.</para>
/// <para>Not thread-safe; one per generator. Does not own the generator or the provider. Allocates its buffers once.</para>
/// </remarks>
public sealed class SpeculativeDecoder
{
    private const int DecisionRounds = 3;
    private readonly Generator generator;
    private readonly IDraftProvider provider;
    private readonly SpeculativeDecodingOptions options;
    private readonly int[] draft;
    private readonly float[] distributions;
    private readonly int vocabulary;
    private long drafted, accepted, passes, plain, cooldowns;
    private int draftLength;
    private double rate;
    private int rounds;
    private int cooldownLeft;
    private int nextCooldown;
    private bool started;
    private bool probing;

    /// <summary>Initializes a new instance of the <see cref="SpeculativeDecoder"/> class.</summary>
    /// <param name="generator">A single-sequence generator that supports speculation.</param>
    /// <param name="provider">The source of drafts.</param>
    /// <param name="options">Draft length and cool-down settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> or <paramref name="provider"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid.</exception>
    /// <exception cref="GenerationException">The generator cannot verify drafts (<see cref="Generator.SupportsSpeculation"/>).</exception>
    public SpeculativeDecoder(Generator generator, IDraftProvider provider, SpeculativeDecodingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(provider);
        this.options = options?.Clone() ?? new SpeculativeDecodingOptions();
        this.options.Validate();
        generator.ThrowIfCannotSpeculate();
        this.generator = generator;
        this.provider = provider;
        vocabulary = generator.VocabularySize;
        draft = new int[this.options.MaxDraftTokens];
        distributions = provider.ProducesDistributions ? new float[this.options.MaxDraftTokens * vocabulary] : [];
        draftLength = this.options.InitialDraftTokens;
        nextCooldown = this.options.CooldownSteps;
    }

    /// <summary>Gets the counts so far.</summary>
    public SpeculationStats Stats => new(drafted, accepted, passes, plain, cooldowns);

    /// <summary>Gets the draft length the next round asks for.</summary>
    public int DraftLength => draftLength;

    /// <summary>Gets whether speculation is cooling down (plain steps) right now.</summary>
    public bool IsCoolingDown => cooldownLeft > 0;

    /// <summary>Generates the next tokens: one plain step, or one verification round of 1 to K + 1 tokens.</summary>
    /// <param name="cancellationToken">Stops the model runs; the generator is then unchanged.</param>
    /// <returns>How many tokens were appended.</returns>
    /// <exception cref="InvalidOperationException">The generator has no tokens or has finished.</exception>
    /// <exception cref="GenerationException">ONNX Runtime failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public int Step(CancellationToken cancellationToken = default)
    {
        if (!started)
        {
            provider.Reset(generator.GetSequence(0)[..generator.GetPromptLength(0)]);
            started = true;
        }

        int room = Math.Min(draftLength, generator.MaxLength - generator.TokenCount - 1);
        if (!generator.HasPendingToken || generator.IsDone || room <= 0 || cooldownLeft > 0)
        {
            cooldownLeft = Math.Max(0, cooldownLeft - 1);
            return PlainStep(cancellationToken);
        }

        Span<float> rows = distributions.AsSpan(0, distributions.Length == 0 ? 0 : room * vocabulary);
        int proposed = Math.Min(provider.Propose(generator.GetSequence(0), draft.AsSpan(0, room), rows), room);
        if (proposed <= 0)
        {
            return PlainStep(cancellationToken);
        }

        DraftVerification result = generator.VerifyDraft(draft.AsSpan(0, proposed), rows[..(rows.IsEmpty ? 0 : proposed * vocabulary)], cancellationToken);
        drafted += proposed;
        accepted += result.Accepted;
        passes++;
        provider.Accept(generator.GetSequence(0), result.Accepted);
        Adapt(proposed, result.Accepted);
        return result.Appended;
    }

    private int PlainStep(CancellationToken cancellationToken)
    {
        generator.GenerateNextToken(cancellationToken);
        plain++;
        return 1;
    }

    private void Adapt(int proposed, int agreed)
    {
        if (options.Adaptive)
        {
            draftLength = agreed == proposed
                ? Math.Min(draftLength + 2, options.MaxDraftTokens)
                : Math.Max(draftLength - 1, 1);
        }

        double round = (double)agreed / proposed;
        if (probing)
        {
            // One failed probe is enough to pause again: a provider that was already paused for missing is likely still missing.
            probing = false;
            if (agreed == 0)
            {
                StartCooldown();
                return;
            }

            // One accepted token is weak evidence: it nudges the weighted rate instead of replacing it, and the next round
            // decides again, so a lucky probe followed by misses pauses at once, still twice as long.
            rate = (0.75 * rate) + (0.25 * round);
            rounds = DecisionRounds - 1;
            if (!options.Adaptive)
            {
                draftLength = options.InitialDraftTokens;
            }

            return;
        }

        rate = rounds == 0 ? round : (0.75 * rate) + (0.25 * round);
        rounds++;
        if (rounds < DecisionRounds)
        {
            return;
        }

        if (rate < options.MinAcceptanceRate)
        {
            StartCooldown();
        }
        else
        {
            nextCooldown = options.CooldownSteps;
        }
    }

    private void StartCooldown()
    {
        cooldownLeft = nextCooldown;
        nextCooldown = Math.Min(nextCooldown * 2, options.CooldownSteps * 16);
        cooldowns++;
        rounds = 0;
        probing = true;

        // Probe with the cheapest verification (two positions); a draft that is right again grows from there.
        draftLength = 1;
    }
}
