using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Sllm.Generation;
using Sllm.Onnx;

namespace Sllm.Benchmarks.Decoding;

/// <summary>
/// Greedy decoding with Sllm's <see cref="Generator"/> against <see cref="NaiveOrtDecoder"/> on the same model, prompt
/// and ONNX Runtime version: decode throughput, time to first token and managed allocation per token.
/// </summary>
/// <remarks>
/// <para>
/// <b>Decode</b>: an <c>[IterationSetup]</c> prefills an 8-token prompt and picks the first token (untimed); the
/// benchmark then times <see cref="NewTokens"/> decode steps, each one forward pass over the previous token plus the
/// greedy pick. So the mean is the decode time of <see cref="NewTokens"/> tokens after an 8-token prompt, and
/// MemoryDiagnoser's bytes per operation are decode-only (BenchmarkDotNet runs the iteration setup outside the
/// measured allocation window).
/// </para>
/// <para>
/// <b>FirstToken</b>: time to first token for a 512-token prompt, as an application sees it: a fresh generator (or a
/// fresh empty cache), the prefill, and the greedy pick.
/// </para>
/// <para>
/// Each global setup checks the loops agree before anything is timed: the decode setups compare all
/// <see cref="NewTokens"/> + 1 greedy tokens, the first-token setups the first token of the long prompt; a mismatch
/// throws. The loop not being timed is then disposed so its session's threads and memory stay out of the way.
/// </para>
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
[MinColumn]
[MedianColumn]
public abstract class DecodeBenchmarks : IHasTokenCount
{
    /// <summary>The prompt before the timed decode steps.</summary>
    public const int ShortPromptTokens = 8;

    /// <summary>The prompt of the time-to-first-token benchmarks.</summary>
    public const int LongPromptTokens = 512;

    private OnnxModel? _model;
    private NaiveOrtDecoder? _naive;
    private Generator? _decoder;
    private GeneratorOptions _firstTokenOptions = new();
    private NaiveState _naiveState = new();
    private int[] _shortPrompt = [];
    private int[] _longPrompt = [];

    /// <summary>
    /// Gets or sets ONNX Runtime's intra-op thread count for both loops; 0 keeps ONNX Runtime's default, which on this
    /// VM is one thread (CPU time stays at one core; its CPUID likely reports the two vCPUs as SMT siblings of one core),
    /// so 2 shows what both cores give.
    /// </summary>
    [Params(0, 2)]
    public int IntraOpThreads { get; set; }

    /// <summary>Gets the tokens each decode operation produces (forward passes timed per operation).</summary>
    public abstract int NewTokens { get; }

    /// <summary>Gets the <see cref="DecodeModels"/> name of the model.</summary>
    protected abstract string ModelName { get; }

    public int DecodedTokens(string benchmarkMethod)
        => benchmarkMethod.StartsWith("Decode", StringComparison.Ordinal) ? NewTokens : 0;

    [GlobalSetup(Target = nameof(DecodeSllm))]
    public void SetupDecodeSllm()
    {
        Load();
        VerifyDecode();
        DisposeNaive();
    }

    [GlobalSetup(Target = nameof(DecodeNaive))]
    public void SetupDecodeNaive()
    {
        Load();
        VerifyDecode();
        DisposeSllm();
    }

    [GlobalSetup(Target = nameof(FirstTokenSllm))]
    public void SetupFirstTokenSllm()
    {
        Load();
        VerifyFirstToken();
        DisposeNaive();
    }

    [GlobalSetup(Target = nameof(FirstTokenNaive))]
    public void SetupFirstTokenNaive()
    {
        Load();
        VerifyFirstToken();
        DisposeSllm();
    }

    [IterationSetup(Target = nameof(DecodeSllm))]
    public void PrefillSllm()
    {
        _decoder!.RewindTo(0);
        _decoder.AppendTokens(_shortPrompt);

        // Samples the first token from the prefill's logits without another forward pass.
        _decoder.GenerateNextToken();
    }

    [IterationSetup(Target = nameof(DecodeNaive))]
    public void PrefillNaive() => _naiveState = _naive!.Prefill(_shortPrompt);

    [Benchmark]
    [BenchmarkCategory("Decode")]
    public int DecodeSllm()
    {
        Generator decoder = _decoder!;
        for (int i = 0; i < NewTokens; i++)
        {
            decoder.GenerateNextToken();
        }

        return decoder.GetNextTokens()[0];
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Decode")]
    public long DecodeNaive()
    {
        NaiveOrtDecoder naive = _naive!;
        NaiveState state = _naiveState;
        for (int i = 0; i < NewTokens; i++)
        {
            naive.Step(state);
        }

        return state.NextToken;
    }

    [Benchmark]
    [BenchmarkCategory("FirstToken")]
    public int FirstTokenSllm()
    {
        using Generator generator = _model!.CreateGenerator(_firstTokenOptions);
        generator.AppendTokens(_longPrompt);
        generator.GenerateNextToken();
        return generator.GetNextTokens()[0];
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("FirstToken")]
    public long FirstTokenNaive() => _naive!.Prefill(_longPrompt).NextToken;

    [GlobalCleanup]
    public void Cleanup()
    {
        DisposeNaive();
        DisposeSllm();
    }

    private void Load()
    {
        string directory = DecodeModels.Ensure(ModelName);
        var options = new OnnxModelOptions();
        if (IntraOpThreads > 0)
        {
            options.IntraOpNumThreads = IntraOpThreads;
        }

        _model = OnnxModel.CreateAsync(directory, options).GetAwaiter().GetResult();
        _naive = new NaiveOrtDecoder(directory, IntraOpThreads);

        // Real text through the model's own tokenizer, so the prompt is made of ordinary token ids.
        int[] ids = [.. _model.Tokenizer!.EncodeToIds(BenchmarkText.Mixed, addSpecialTokens: false)];
        if (ids.Length < LongPromptTokens)
        {
            throw new InvalidOperationException($"The benchmark text is only {ids.Length} tokens; {LongPromptTokens} are needed.");
        }

        _shortPrompt = ids[..ShortPromptTokens];
        _longPrompt = ids[..LongPromptTokens];
        _firstTokenOptions = new GeneratorOptions { MaxLength = LongPromptTokens + 1, Sampling = Greedy() };
    }

    private SamplingOptions Greedy()
    {
        SamplingOptions sampling = _model!.DefaultSamplingOptions;
        sampling.DoSample = false;
        return sampling;
    }

    private void VerifyDecode()
    {
        NaiveState state = _naive!.Prefill(_shortPrompt);
        var expected = new List<int> { (int)state.NextToken };
        for (int i = 0; i < NewTokens; i++)
        {
            _naive.Step(state);
            expected.Add((int)state.NextToken);
        }

        // The naive loop never stops early, so Sllm's end-of-sequence id is one this greedy sequence never picks: both
        // loops then decode exactly NewTokens tokens whatever the random weights favour.
        int eos = 0;
        while (expected.Contains(eos))
        {
            eos++;
        }

        _decoder = _model!.CreateGenerator(new GeneratorOptions
        {
            MaxLength = ShortPromptTokens + 1 + NewTokens,
            Sampling = Greedy(),
            EosTokenIds = { eos },
        });
        if (!_decoder.SharesKvBuffer)
        {
            throw new InvalidOperationException($"{ModelName}: the generator does not share its KV buffer; the benchmark measures the shared-buffer path.");
        }

        PrefillSllm();
        for (int i = 0; i < NewTokens; i++)
        {
            _decoder.GenerateNextToken();
        }

        int[] actual = _decoder.GetSequence(0)[ShortPromptTokens..].ToArray();
        if (!actual.AsSpan().SequenceEqual(expected.ToArray()))
        {
            throw new InvalidOperationException(
                $"{ModelName}: Sllm and the naive loop decoded different tokens: [{string.Join(", ", actual)}] vs [{string.Join(", ", expected)}]");
        }
    }

    private void VerifyFirstToken()
    {
        long expected = _naive!.Prefill(_longPrompt).NextToken;
        int actual = FirstTokenSllm();
        if (actual != expected)
        {
            throw new InvalidOperationException($"{ModelName}: the first token after {LongPromptTokens} prompt tokens differs: Sllm {actual}, naive {expected}");
        }
    }

    private void DisposeNaive()
    {
        _naive?.Dispose();
        _naive = null;
    }

    private void DisposeSllm()
    {
        _decoder?.Dispose();
        _decoder = null;
        _model?.Dispose();
        _model = null;
    }
}
