using Sllm.Benchmarks.Decoding;

namespace Sllm.Benchmarks.Speculative;

/// <summary>
/// The cost of speculation that never pays: run with
/// <c>--filter '*SpeculationOverheadBenchmarks.Plain' '*SpeculationOverheadBenchmarks.AlwaysRejected'</c>, so plain
/// decoding and always-wrong drafts get 40 measured iterations each, enough to resolve a few percent on the noisy VM.
/// </summary>
[DecodeJob(warmupCount: 3, iterationCount: 40)]
public class SpeculationOverheadBenchmarks : SpeculativeBenchmarkBase
{
}
