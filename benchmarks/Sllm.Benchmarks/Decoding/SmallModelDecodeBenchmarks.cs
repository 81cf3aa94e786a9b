namespace Sllm.Benchmarks.Decoding;

/// <summary>
/// <see cref="DecodeBenchmarks"/> on a few-MB model (4 layers, hidden 256, vocabulary 640) whose weights stay in the
/// CPU caches: a forward pass costs tens of microseconds, so the time around it (tensor creation, copies, argmax) is
/// what this case measures.
/// </summary>
[DecodeJob(warmupCount: 3, iterationCount: 15)]
public class SmallModelDecodeBenchmarks : DecodeBenchmarks
{
    public override int NewTokens => 256;

    protected override string ModelName => DecodeModels.Small;
}
