using Sllm.Benchmarks.Decoding;

namespace Sllm.Benchmarks.Constraints;

/// <summary><see cref="ConstrainedDecodeBenchmarks"/> on the few-MB model (584-token tokenizer): a forward pass costs tens
/// of microseconds, so this is where per-step overhead shows most.</summary>
[DecodeJob(warmupCount: 3, iterationCount: 15)]
public class SmallModelConstrainedDecodeBenchmarks : ConstrainedDecodeBenchmarks
{
    public override int NewTokens => 256;

    protected override string ModelName => DecodeModels.Small;
}
