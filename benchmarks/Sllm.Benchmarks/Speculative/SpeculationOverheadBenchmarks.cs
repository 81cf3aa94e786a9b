using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Sllm.Benchmarks.Decoding;
using Sllm.Generation;
using Sllm.Onnx;

namespace Sllm.Benchmarks.Speculative;

/// <summary>
/// The cost of speculation that never pays, measured in pairs: each iteration decodes the same <see cref="NewTokens"/>
/// tokens plainly and with a provider that is never accepted (always-wrong drafts, or the independent draft model),
/// back to back in alternating order, and the <c>Spec/Plain (paired)</c> column reports the median ratio.
/// </summary>
/// <remarks>
/// The separate-process comparison in <see cref="SpeculativeDecodingBenchmarks"/> cannot resolve a few percent on a
/// shared VM: its plain rows alone move by 20 % from one process (or one minute) to the next. Pairing within an
/// iteration cancels that drift. The Mean column is the time of both decodes together. No memory diagnoser: its extra
/// run would add a pair outside the measured iterations.
/// </remarks>
[DecodeJob(warmupCount: 3, iterationCount: 60, inProcess: true)]
[Config(typeof(PairedConfig))]
public class SpeculationOverheadBenchmarks
{
    private OnnxModel? target;
    private OnnxModel? draft;
    private int[] prompt = [];
    private Generator? plain;
    private Generator? speculative;
    private IDraftProvider? provider;
    private SpeculativeDecoder? decoder;
    private int iteration;

    /// <summary>Gets or sets the target (see <see cref="SpeculativeBenchmarkBase.Model"/>).</summary>
    [Params("Copying", "Random")]
    public string Model { get; set; } = "Copying";

    /// <summary>Gets or sets the copy-heavy task.</summary>
    [Params("Summarize", "Edit", "DocumentQa")]
    public string Task { get; set; } = "Summarize";

    /// <summary>Gets or sets the provider that is never accepted.</summary>
    [Params("AlwaysRejected", "DraftModel")]
    public string Provider { get; set; } = "AlwaysRejected";

    /// <summary>Gets the tokens each decode produces.</summary>
    public static int NewTokens => 128;

    internal static string Key(BenchmarkCase benchmarkCase) =>
        Key((string)benchmarkCase.Parameters["Model"], (string)benchmarkCase.Parameters["Task"], (string)benchmarkCase.Parameters["Provider"]);

    private static string Key(string model, string task, string provider) => $"{model}/{task}/{provider}";

    [GlobalSetup]
    public void Setup()
    {
        target = SpeculativeModels.Load(SpeculativeModels.TargetOf(Model));
        draft = SpeculativeModels.Load(SpeculativeModels.Draft);
        prompt = [.. target.Tokenizer!.EncodeToIds(CopyHeavyPrompts.Get(Task), addSpecialTokens: false)];
    }

    [IterationSetup]
    public void Prepare()
    {
        plain = SpeculativeModels.StartGreedy(target!, prompt, NewTokens);
        speculative = SpeculativeModels.StartGreedy(target!, prompt, NewTokens);
        provider = Provider == "DraftModel"
            ? new DraftModelProvider(draft!, target!, speculative.MaxLength, [target!.VocabularySize - 1])
            : new AlwaysWrongDraft(target!.VocabularySize);
        decoder = new SpeculativeDecoder(speculative, provider);
    }

    [Benchmark]
    public int PlainAndSpeculative()
    {
        bool speculativeFirst = (iteration++ & 1) == 1;
        double first = speculativeFirst ? Time(speculate: true) : Time(speculate: false);
        double second = speculativeFirst ? Time(speculate: false) : Time(speculate: true);
        PairedTimings.Add(Key(Model, Task, Provider), speculativeFirst ? second : first, speculativeFirst ? first : second);
        if (!plain!.GetSequence(0).SequenceEqual(speculative!.GetSequence(0)))
        {
            throw new InvalidOperationException($"{Provider} changed the greedy output of {Model} {Task}.");
        }

        if (decoder!.Stats.AcceptedTokens != 0)
        {
            throw new InvalidOperationException($"{Provider} had {decoder.Stats.AcceptedTokens} tokens accepted on {Model} {Task}; this benchmark measures speculation that is never accepted.");
        }

        return plain.TokenCount + speculative.TokenCount;
    }

    [IterationCleanup]
    public void Cleanup()
    {
        if (iteration == 1)
        {
            SpeculationStats stats = decoder!.Stats;
            BenchmarkNotes.Write($"overhead {Model} {Task} {Provider}: drafted {stats.DraftedTokens}, accepted {stats.AcceptedTokens}, verification passes {stats.VerificationPasses}, plain steps {stats.PlainSteps}, cool-downs {stats.Cooldowns}");
        }

        (provider as IDisposable)?.Dispose();
        plain?.Dispose();
        speculative?.Dispose();
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        target?.Dispose();
        draft?.Dispose();
    }

    private double Time(bool speculate)
    {
        long start = Stopwatch.GetTimestamp();
        if (speculate)
        {
            while (!speculative!.IsDone)
            {
                decoder!.Step();
            }
        }
        else
        {
            while (!plain!.IsDone)
            {
                plain.GenerateNextToken();
            }
        }

        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private sealed class PairedConfig : ManualConfig
    {
        public PairedConfig() => AddColumn(new PairedRatioColumn());
    }
}
