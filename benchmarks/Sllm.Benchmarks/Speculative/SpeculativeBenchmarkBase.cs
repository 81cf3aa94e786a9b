using BenchmarkDotNet.Attributes;
using Sllm.Benchmarks.Decoding;
using Sllm.Generation;
using Sllm.Onnx;

namespace Sllm.Benchmarks.Speculative;

/// <summary>
/// Greedy decode time of <see cref="NewTokens"/> tokens after a copy-heavy prompt: plain decoding (baseline) against
/// prompt lookup, a small independent draft model, an int4 copy of the target as its draft, and a provider whose drafts are always wrong (the worst case that adaptive K and
/// the cool-down must keep within 5% of plain).
/// </summary>
/// <remarks>
/// <para>An <c>[IterationSetup]</c> prefills the prompt and takes the first token (untimed); the benchmark times the rest.
/// Every method yields the same tokens (greedy speculation is exact); the global setup checks that and prints the measured
/// acceptance (<c>// speculative ...</c> lines in the log), which is what decides the speed-up. <see cref="Model"/>
/// <c>Copying</c> is a target of the same shape and cost whose hand-wired weights copy from the context (the behaviour
/// prompt lookup bets on); <c>Random</c> has the builder's random weights, which do not copy the prompt, so acceptance
/// there comes from the repetitive loops their greedy output falls into. Read the speed-ups together with those rates.</para>
/// <para>The independent draft is a 2-layer fp32 builder model (it never agrees with either target); the int4 draft is the
/// target's own weights quantized to int4 (see <see cref="SpeculativeModels"/>).</para>
/// </remarks>
[MemoryDiagnoser]
public abstract class SpeculativeBenchmarkBase : IHasTokenCount
{
    private OnnxModel? target;
    private OnnxModel? draft;
    private OnnxModel? int4Draft;
    private Generator? generator;
    private SpeculativeDecoder? decoder;
    private IDraftProvider? provider;
    private int[] prompt = [];

    /// <summary>Gets or sets the target: <c>Copying</c> (hand-wired to copy from its context) or <c>Random</c> (random weights).</summary>
    [Params("Copying", "Random")]
    public string Model { get; set; } = "Copying";

    /// <summary>Gets or sets the copy-heavy task.</summary>
    [Params("Summarize", "Edit", "DocumentQa")]
    public string Task { get; set; } = "Summarize";

    /// <summary>Gets the tokens each operation decodes.</summary>
    public int NewTokens => 128;

    public int DecodedTokens(string benchmarkMethod) => NewTokens;

    [GlobalSetup]
    public void Setup()
    {
        target = SpeculativeModels.Load(SpeculativeModels.TargetOf(Model));
        draft = SpeculativeModels.Load(SpeculativeModels.Draft);
        int4Draft = SpeculativeModels.Load(Model == "Copying" ? SpeculativeModels.CopyInt4Draft : SpeculativeModels.Int4Draft);
        prompt = [.. target.Tokenizer!.EncodeToIds(CopyHeavyPrompts.Get(Task), addSpecialTokens: false)];
        int[] reference = Decode(null);
        foreach (string mode in new[] { "PromptLookup", "DraftModel", "Int4Draft", "AlwaysRejected" })
        {
            int[] tokens = Decode(mode);
            if (!tokens.AsSpan().SequenceEqual(reference))
            {
                throw new InvalidOperationException($"{mode} changed the greedy output of {Model} {Task}.");
            }

            SpeculationStats stats = decoder!.Stats;
            BenchmarkNotes.Write($"speculative {Model} {Task} {mode}: drafted {stats.DraftedTokens}, accepted {stats.AcceptedTokens} ({stats.AcceptanceRate:P1}), verification passes {stats.VerificationPasses}, plain steps {stats.PlainSteps}, cool-downs {stats.Cooldowns}");
            Release();
        }
    }

    [IterationSetup(Target = nameof(Plain))]
    public void SetupPlain() => Start(null);

    [IterationSetup(Target = nameof(PromptLookup))]
    public void SetupPromptLookup() => Start("PromptLookup");

    [IterationSetup(Target = nameof(DraftModel))]
    public void SetupDraftModel() => Start("DraftModel");

    [IterationSetup(Target = nameof(Int4Draft))]
    public void SetupInt4Draft() => Start("Int4Draft");

    [IterationSetup(Target = nameof(AlwaysRejected))]
    public void SetupAlwaysRejected() => Start("AlwaysRejected");

    [IterationCleanup]
    public void Cleanup() => Release();

    [Benchmark(Baseline = true)]
    public int Plain()
    {
        while (!generator!.IsDone)
        {
            generator.GenerateNextToken();
        }

        return generator.TokenCount;
    }

    [Benchmark]
    public int PromptLookup() => Speculate();

    [Benchmark]
    public int DraftModel() => Speculate();

    [Benchmark]
    public int Int4Draft() => Speculate();

    [Benchmark]
    public int AlwaysRejected() => Speculate();

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        Release();
        target?.Dispose();
        draft?.Dispose();
        int4Draft?.Dispose();
    }

    private int Speculate()
    {
        while (!generator!.IsDone)
        {
            decoder!.Step();
        }

        return generator.TokenCount;
    }

    private int[] Decode(string? mode)
    {
        Start(mode);
        int count = mode is null ? Plain() : Speculate();
        int[] tokens = generator!.GetSequence(0).ToArray();
        if (mode is null)
        {
            Release();
        }

        return count > 0 ? tokens : [];
    }

    private void Start(string? mode)
    {
        generator = SpeculativeModels.StartGreedy(target!, prompt, NewTokens);
        provider = mode switch
        {
            null => null,
            "PromptLookup" => new PromptLookupDraftProvider(),
            "DraftModel" => new DraftModelProvider(draft!, target!, generator.MaxLength, [target!.VocabularySize - 1]),
            "Int4Draft" => new DraftModelProvider(int4Draft!, target!, generator.MaxLength, [target!.VocabularySize - 1]),
            _ => new AlwaysWrongDraft(target!.VocabularySize),
        };
        decoder = provider is null ? null : new SpeculativeDecoder(generator, provider);
    }

    private void Release()
    {
        (provider as IDisposable)?.Dispose();
        provider = null;
        generator?.Dispose();
        generator = null;
    }
}
