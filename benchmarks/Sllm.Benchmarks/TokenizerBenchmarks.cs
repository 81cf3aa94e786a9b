using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.ML.Tokenizers;
using Sllm.Tokenization;

namespace Sllm.Benchmarks;

/// <summary>
/// Encode and decode throughput of <see cref="HuggingFaceTokenizer"/> against Microsoft.ML.Tokenizers' own tokenizer for
/// the same vocabulary (Tiktoken for Llama-3.2, byte-level <see cref="BpeTokenizer"/> for Qwen2.5), in the same run.
/// </summary>
/// <remarks>
/// Setup checks that both produce the same ids for the text, so the comparison is like for like. The baseline
/// tokenizers lack Qwen's NFC normalizer and split astral-plane characters differently from the reference, so the text
/// sticks to NFC, BMP characters (the conformance tests cover the rest for Sllm's tokenizer).
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class TokenizerBenchmarks : IHasInputBytes
{
    private HuggingFaceTokenizer _sllm = null!;
    private Tokenizer _baseline = null!;
    private int[] _ids = [];

    [Params("llama-3.2-1b-instruct", "qwen2.5-0.5b-instruct")]
    public string Family { get; set; } = "llama-3.2-1b-instruct";

    public long InputBytes(string benchmarkMethod)
        => benchmarkMethod.StartsWith("Encode", StringComparison.Ordinal) ? BenchmarkText.Utf8Length : 0;

    [GlobalSetup]
    public void Setup()
    {
        string dir = RepositoryPaths.Shared("conformance", "tokenizers", Family);
        _sllm = HuggingFaceTokenizer.Create(dir);
        string json = Path.Combine(dir, "tokenizer.json");
        _baseline = Family.StartsWith("llama", StringComparison.Ordinal)
            ? MlTokenizersBaselines.CreateTiktoken(json)
            : MlTokenizersBaselines.CreateByteLevelBpe(json);

        _ids = [.. _sllm.EncodeToIds(BenchmarkText.Mixed, addSpecialTokens: false)];
        int[] baselineIds = [.. _baseline.EncodeToIds(BenchmarkText.Mixed)];
        if (!_ids.AsSpan().SequenceEqual(baselineIds))
        {
            throw new InvalidOperationException($"{Family}: Sllm and ML.Tokenizers ids differ ({_ids.Length} vs {baselineIds.Length} ids)");
        }

        if (_sllm.Decode(_ids, skipSpecialTokens: false) != BenchmarkText.Mixed || _baseline.Decode(_ids) != BenchmarkText.Mixed)
        {
            throw new InvalidOperationException($"{Family}: decode does not round-trip the benchmark text");
        }
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Encode")]
    public int EncodeMlTokenizers() => _baseline.EncodeToIds(BenchmarkText.Mixed).Count;

    [Benchmark]
    [BenchmarkCategory("Encode")]
    public int EncodeSllm() => _sllm.EncodeToIds(BenchmarkText.Mixed, addSpecialTokens: false).Count;

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Decode")]
    public int DecodeMlTokenizers() => _baseline.Decode(_ids)!.Length;

    [Benchmark]
    [BenchmarkCategory("Decode")]
    public int DecodeSllm() => _sllm.Decode(_ids, skipSpecialTokens: false).Length;

    [Benchmark]
    [BenchmarkCategory("Decode")]
    public int StreamingDecodeSllm()
    {
        StreamingDecoder decoder = _sllm.CreateStreamingDecoder();
        int length = 0;
        foreach (int id in _ids)
        {
            length += decoder.Append(id).Length;
        }

        return length + decoder.Flush().Length;
    }
}
