namespace Sllm.Benchmarks.Decoding;

/// <summary>
/// <see cref="DecodeBenchmarks"/> on the Qwen2.5-0.5B-shaped float32 model (about 2 GB of weights): decode is memory
/// bound here, so this is the case the roofline in <c>docs/performance.md</c> is computed for.
/// </summary>
/// <remarks>A decode step streams all 1.976 GB of weights once (50–100 ms on the 2-core CI VM) and a 512-token prefill
/// takes seconds, so the run is kept to 16 tokens per operation and eight measured iterations.</remarks>
[DecodeJob(warmupCount: 1, iterationCount: 8)]
public class QwenHalfBDecodeBenchmarks : DecodeBenchmarks
{
    public override int NewTokens => 16;

    protected override string ModelName => DecodeModels.QwenHalfB;
}
