using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Sllm.Benchmarks.Decoding;
using Sllm.Generation;
using Sllm.Onnx;
using Sllm.StructuredOutput;

namespace Sllm.Benchmarks.Constraints;

/// <summary>
/// Greedy decode throughput of the same model and prompt without a constraint (baseline) and under a JSON schema
/// (<see cref="JsonSchemaLogitsProcessor"/> masking every step), in one run so the ratio is the mask's cost.
/// </summary>
/// <remarks>
/// Each iteration setup (untimed) creates a fresh generator, and for the schema case a fresh processor (cold mask cache,
/// as a new request has), prefills an 8-token prompt and picks the first token; the benchmark times
/// <see cref="NewTokens"/> decode steps. The schema (<see cref="BenchmarkSchemas.Records"/>) cannot complete within the
/// budget, and the unconstrained end id is one the greedy sequence never picks, so both decode exactly
/// <see cref="NewTokens"/> tokens. Target: the schema case at most 15% slower.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[MinColumn]
[MedianColumn]
public abstract class ConstrainedDecodeBenchmarks : IHasTokenCount
{
    private const int PromptTokens = 8;

    private OnnxModel? _model;
    private Generator? _generator;
    private JsonSchemaConstraint? _constraint;
    private int[] _prompt = [];
    private int _freeEnd;
    private int _schemaEnd;

    /// <summary>Gets the tokens each operation decodes.</summary>
    public abstract int NewTokens { get; }

    /// <summary>Gets the <see cref="DecodeModels"/> name of the model.</summary>
    protected abstract string ModelName { get; }

    public int DecodedTokens(string benchmarkMethod) => NewTokens;

    [GlobalSetup]
    public void Setup()
    {
        _model = OnnxModel.CreateAsync(DecodeModels.Ensure(ModelName)).GetAwaiter().GetResult();
        _prompt = [.. _model.Tokenizer!.EncodeToIds(BenchmarkText.Mixed, addSpecialTokens: false)];
        _prompt = _prompt[..PromptTokens];
        _constraint = BenchmarkSchemas.Compile();
        _schemaEnd = _model.Tokenizer.EosTokenId ?? _model.EosTokenIds[0];

        // The unconstrained greedy sequence, to pick an end id it never reaches.
        CreateGenerator(constrained: false, end: -1);
        _generator!.AppendTokens(_prompt);
        var seen = new HashSet<int>();
        for (int i = 0; i <= NewTokens; i++)
        {
            _generator.GenerateNextToken();
            seen.Add(_generator.GetNextTokens()[0]);
        }

        while (seen.Contains(_freeEnd))
        {
            _freeEnd++;
        }
    }

    [IterationSetup(Target = nameof(DecodeFree))]
    public void PrefillFree() => Prefill(constrained: false);

    [IterationSetup(Target = nameof(DecodeSchema))]
    public void PrefillSchema() => Prefill(constrained: true);

    [Benchmark(Baseline = true)]
    public int DecodeFree() => Decode();

    [Benchmark]
    public int DecodeSchema() => Decode();

    [GlobalCleanup]
    public void Cleanup()
    {
        _generator?.Dispose();
        _model?.Dispose();
    }

    private int Decode()
    {
        Generator generator = _generator!;
        for (int i = 0; i < NewTokens; i++)
        {
            generator.GenerateNextToken();
        }

        if (generator.GetSequence(0).Length != PromptTokens + 1 + NewTokens)
        {
            throw new InvalidOperationException("The decode ended early.");
        }

        return generator.GetNextTokens()[0];
    }

    private void Prefill(bool constrained)
    {
        CreateGenerator(constrained, constrained ? _schemaEnd : _freeEnd);
        _generator!.AppendTokens(_prompt);
        _generator.GenerateNextToken();
    }

    private void CreateGenerator(bool constrained, int end)
    {
        _generator?.Dispose();
        SamplingOptions sampling = _model!.DefaultSamplingOptions;
        sampling.DoSample = false;
        var options = new GeneratorOptions { MaxLength = PromptTokens + 2 + NewTokens, Sampling = sampling };
        options.EosTokenIds.Add(end < 0 ? _model.VocabularySize - 1 : end);
        if (constrained)
        {
            options.LogitsProcessors.Add(new JsonSchemaLogitsProcessor(_model.Tokenizer!, _constraint!, [end]));
        }

        _generator = _model.CreateGenerator(options);
    }
}
