using Sllm.Benchmarks.Decoding;

namespace Sllm.Benchmarks.Speculative;

/// <summary>Every method of <see cref="SpeculativeBenchmarkBase"/> on every task, ten measured iterations each.</summary>
[DecodeJob(warmupCount: 2, iterationCount: 10)]
public class SpeculativeDecodingBenchmarks : SpeculativeBenchmarkBase
{
}
