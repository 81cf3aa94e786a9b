using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;

namespace Sllm.Benchmarks.Decoding;

/// <summary>
/// Memory read bandwidth of this machine, measured in the same run as the decode benchmarks: the sum of a 1 GiB float
/// array (far larger than any cache) on one thread and split over two. The faster of the two is the bandwidth the
/// decode roofline in <c>docs/performance.md</c> divides by.
/// </summary>
/// <remarks>The minimum and median columns are shown because the VM is shared: the best iteration is the bandwidth the
/// memory system gives one process, the mean includes whatever else ran at the time.</remarks>
[DecodeJob(warmupCount: 3, iterationCount: 15)]
[MinColumn]
[MedianColumn]
public class MemoryBandwidthBenchmarks : IHasInputBytes
{
    private const int Elements = 1 << 28;

    private float[] _data = [];
    private readonly float[] _partial = new float[2];

    public long InputBytes(string benchmarkMethod) => (long)Elements * sizeof(float);

    [GlobalSetup]
    public void Setup()
    {
        // Written once so every page is backed by memory before timing (an untouched page reads as the shared zero page).
        _data = GC.AllocateUninitializedArray<float>(Elements);
        _data.AsSpan().Fill(1f);
    }

    [Benchmark(Baseline = true)]
    public float SumOneThread() => TensorPrimitives.Sum(_data);

    [Benchmark]
    public float SumTwoThreads()
    {
        Parallel.For(0, 2, chunk => _partial[chunk] = TensorPrimitives.Sum(_data.AsSpan(chunk * (Elements / 2), Elements / 2)));
        return _partial[0] + _partial[1];
    }
}
