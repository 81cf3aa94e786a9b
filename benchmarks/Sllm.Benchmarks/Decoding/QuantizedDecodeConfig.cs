using BenchmarkDotNet.Configs;

namespace Sllm.Benchmarks.Decoding;

/// <summary>The extra columns of <see cref="QuantizedDecodeBenchmarks"/>.</summary>
internal sealed class QuantizedDecodeConfig : ManualConfig
{
    public QuantizedDecodeConfig() => AddColumn(new RooflineColumn(), new ResidentMemoryColumn());
}
