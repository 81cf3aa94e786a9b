using Sllm.Generation;

namespace Sllm.Onnx;

/// <summary>Options for speculative decoding: where drafts come from, how long they may be, and when speculation is
/// switched off because it does not pay.</summary>
/// <remarks>Copied when a request starts; not thread-safe while being changed. See docs/speculative-decoding.md.</remarks>
public sealed class SpeculativeDecodingOptions
{
    /// <summary>Gets or sets where proposals come from.</summary>
    /// <value>The default is <see cref="SpeculationMode.None"/>.</value>
    public SpeculationMode Mode { get; set; }

    /// <summary>Gets or sets the draft model folder for <see cref="SpeculationMode.DraftModel"/> (loaded once per chat
    /// client and kept while the client lives).</summary>
    public string? DraftModelPath { get; set; }

    /// <summary>Gets or sets an already loaded draft model for <see cref="SpeculationMode.DraftModel"/>; it wins over
    /// <see cref="DraftModelPath"/> and is not disposed by Sllm.</summary>
    public OnnxModel? DraftModel { get; set; }

    /// <summary>Gets or sets the factory of the provider for <see cref="SpeculationMode.Custom"/>, called once per request
    /// (a returned <see cref="IDisposable"/> is disposed when the request ends).</summary>
    public Func<IDraftProvider>? DraftProviderFactory { get; set; }

    /// <summary>Gets or sets the most tokens verified per target pass (the ceiling of adaptive K).</summary>
    /// <value>The default is 8. Must be 1 to 64.</value>
    public int MaxDraftTokens { get; set; } = 8;

    /// <summary>Gets or sets the draft length of the first round (a cool-down ends with a one-token probe instead).</summary>
    /// <value>The default is 4. Must be 1 to <see cref="MaxDraftTokens"/>.</value>
    public int InitialDraftTokens { get; set; } = 4;

    /// <summary>Gets or sets whether the draft length adapts: +2 after a fully accepted draft, −1 after a rejection
    /// (never below 1), as Hugging Face's "heuristic" schedule does.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Adaptive { get; set; } = true;

    /// <summary>Gets or sets the acceptance rate (exponentially weighted over rounds) below which speculation is switched off
    /// for a while and later re-probed; 0 never switches it off.</summary>
    /// <value>The default is 0.3. Must be 0 to 1.</value>
    public double MinAcceptanceRate { get; set; } = 0.3;

    /// <summary>Gets or sets how many plain steps the first cool-down lasts; each further cool-down in a row (a failed
    /// one-token probe starts the next one at once) doubles it, up to 16 times this.</summary>
    /// <value>The default is 32. Must be 1 or more.</value>
    public int CooldownSteps { get; set; } = 32;

    /// <summary>Gets or sets the shortest n-gram prompt lookup matches.</summary>
    /// <value>The default is 1. Must be 1 or more.</value>
    public int MinNgramSize { get; set; } = 1;

    /// <summary>Gets or sets the longest n-gram prompt lookup matches (tried first).</summary>
    /// <value>The default is 3. Must be at least <see cref="MinNgramSize"/>.</value>
    public int MaxNgramSize { get; set; } = 3;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An option is out of range, or the mode lacks what it needs.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Mode is not a SpeculationMode.");
        }

        Check(MaxDraftTokens is >= 1 and <= 64, nameof(MaxDraftTokens), MaxDraftTokens, "must be 1 to 64");
        Check(InitialDraftTokens >= 1 && InitialDraftTokens <= MaxDraftTokens, nameof(InitialDraftTokens), InitialDraftTokens, "must be 1 to MaxDraftTokens");
        Check(MinAcceptanceRate is >= 0 and <= 1, nameof(MinAcceptanceRate), MinAcceptanceRate, "must be 0 to 1");
        Check(CooldownSteps >= 1, nameof(CooldownSteps), CooldownSteps, "must be 1 or more");
        Check(MinNgramSize >= 1, nameof(MinNgramSize), MinNgramSize, "must be 1 or more");
        Check(MaxNgramSize >= MinNgramSize, nameof(MaxNgramSize), MaxNgramSize, "must be at least MinNgramSize");
        if (Mode == SpeculationMode.DraftModel && DraftModel is null && string.IsNullOrWhiteSpace(DraftModelPath))
        {
            throw new ArgumentException("Speculation mode DraftModel needs DraftModelPath (or DraftModel).", nameof(DraftModelPath));
        }

        if (Mode == SpeculationMode.Custom && DraftProviderFactory is null)
        {
            throw new ArgumentException("Speculation mode Custom needs DraftProviderFactory.", nameof(DraftProviderFactory));
        }
    }

    /// <summary>Creates an independent copy of these options.</summary>
    /// <returns>A new instance with the same settings.</returns>
    public SpeculativeDecodingOptions Clone() => (SpeculativeDecodingOptions)MemberwiseClone();

    private static void Check(bool ok, string name, object value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} ({value}) {rule}.");
        }
    }
}
