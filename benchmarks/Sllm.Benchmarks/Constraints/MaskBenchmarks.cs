using BenchmarkDotNet.Attributes;
using Sllm.StructuredOutput;
using Sllm.Tokenization;

namespace Sllm.Benchmarks.Constraints;

/// <summary>
/// The per-token cost of <see cref="JsonSchemaLogitsProcessor.Process"/> on the real Qwen2.5 tokenizer (151,646 tokens,
/// 151,936 logits) from ../shared: one operation replays a 128-token constrained generation (recorded once in setup by
/// sampling uniformly among the allowed tokens) through a fresh processor, so the mask cache starts cold as in a new request.
/// </summary>
[MemoryDiagnoser]
public class MaskBenchmarks : IHasTokenCount
{
    private const int Tokens = 128;
    private HuggingFaceTokenizer? _tokenizer;
    private JsonSchemaConstraint? _constraint;
    private int _end;
    private int[] _sequence = [];
    private float[] _logits = [];

    public int DecodedTokens(string benchmarkMethod) => Tokens;

    [GlobalSetup]
    public void Setup()
    {
        _tokenizer = HuggingFaceTokenizer.Create(RepositoryPaths.Shared("conformance", "tokenizers", "qwen2.5-0.5b-instruct"));
        _end = _tokenizer.TokenToId("<|im_end|>")!.Value;
        _constraint = BenchmarkSchemas.Compile();
        _logits = new float[151_936];
        var processor = new JsonSchemaLogitsProcessor(_tokenizer, _constraint, [_end]);
        var random = new Random(5);
        var sequence = new List<int> { 1 };
        for (int i = 0; i < Tokens; i++)
        {
            for (int j = 0; j < _logits.Length; j++)
            {
                _logits[j] = (float)random.NextDouble();
            }

            processor.Process(sequence.ToArray(), 1, _logits);
            int best = 0;
            for (int j = 1; j < _logits.Length; j++)
            {
                best = _logits[j] > _logits[best] ? j : best;
            }

            sequence.Add(best);
        }

        _sequence = [.. sequence];
    }

    [Benchmark]
    public float ProcessPerGeneration()
    {
        var processor = new JsonSchemaLogitsProcessor(_tokenizer!, _constraint!, [_end]);
        float sum = 0;
        for (int n = 1; n <= Tokens; n++)
        {
            processor.Process(_sequence.AsSpan(0, n), 1, _logits);
            sum += _logits[_sequence[Math.Min(n, Tokens)]];
        }

        return sum;
    }
}
