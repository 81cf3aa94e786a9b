using Sllm.Benchmarks.Decoding;

namespace Sllm.Benchmarks.Constraints;

/// <summary><see cref="ConstrainedDecodeBenchmarks"/> on the Qwen2.5-0.5B-shaped model (151,936 logits per step, the
/// builder's demo tokenizer). The mask's cost on the real Qwen2.5 vocabulary is measured by <see cref="MaskBenchmarks"/>.</summary>
[DecodeJob(warmupCount: 1, iterationCount: 8)]
public class QwenHalfBConstrainedDecodeBenchmarks : ConstrainedDecodeBenchmarks
{
    public override int NewTokens => 16;

    protected override string ModelName => DecodeModels.QwenHalfB;
}
