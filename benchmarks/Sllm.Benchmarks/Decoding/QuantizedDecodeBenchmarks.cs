using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Sllm.Generation;
using Sllm.Onnx;

namespace Sllm.Benchmarks.Decoding;

/// <summary>
/// Decode tokens/s of the Qwen2.5-0.5B-shaped model in float32, int8 and int4 (MatMulNBits, accuracy level 4) in one
/// run, with this machine's read bandwidth measured beside them, so <see cref="RooflineColumn"/> can show each rate as a
/// fraction of its memory-bound ceiling (bandwidth ÷ weight bytes read per token) and <see cref="ResidentMemoryColumn"/>
/// the process's memory after load and one generation.
/// </summary>
/// <remarks>
/// Both loops use 2 intra-op threads (both cores of the CI VM), and the bandwidth is a two-thread sum over 1 GiB, so rate
/// and ceiling are measured alike. Each decode operation times <see cref="NewTokens"/> steps after an 8-token prompt
/// (prefilled in the untimed iteration setup). The int4/int8 models are written by the builder directly and cached under
/// <c>benchmarks/artifacts/models/</c> like the float one.
/// </remarks>
[DecodeJob(warmupCount: 1, iterationCount: 8)]
[Config(typeof(QuantizedDecodeConfig))]
[MinColumn]
[MedianColumn]
public class QuantizedDecodeBenchmarks : IHasTokenCount, IHasInputBytes
{
    /// <summary>The decode steps timed per operation.</summary>
    public const int NewTokens = 16;

    private const int Threads = 2;
    private const int BandwidthElements = 1 << 28;

    private readonly float[] _partial = new float[2];
    private OnnxModel? _model;
    private Generator? _decoder;
    private int[] _prompt = [];
    private float[] _data = [];

    /// <summary>Gets or sets the weight format: fp32, int8 or int4.</summary>
    [Params("fp32", "int8", "int4")]
    public string Precision { get; set; } = "fp32";

    public int DecodedTokens(string benchmarkMethod) => benchmarkMethod == nameof(Decode) ? NewTokens : 0;

    public long InputBytes(string benchmarkMethod) => benchmarkMethod == nameof(Bandwidth) ? (long)BandwidthElements * sizeof(float) : 0;

    /// <summary>Returns the cached model folder of a precision.</summary>
    public static string ModelName(string precision) => precision switch
    {
        "int4" => DecodeModels.QwenHalfBInt4,
        "int8" => DecodeModels.QwenHalfBInt8,
        _ => DecodeModels.QwenHalfB,
    };

    [GlobalSetup(Target = nameof(Decode))]
    public void SetupDecode()
    {
        string directory = DecodeModels.Ensure(ModelName(Precision));
        _model = OnnxModel.CreateAsync(directory, new OnnxModelOptions { IntraOpNumThreads = Threads }).GetAwaiter().GetResult();
        _prompt = [.. _model.Tokenizer!.EncodeToIds(BenchmarkText.Mixed, addSpecialTokens: false).Take(8)];
        SamplingOptions sampling = _model.DefaultSamplingOptions;
        sampling.DoSample = false;
        var options = new GeneratorOptions { MaxLength = _prompt.Length + NewTokens + 2, Sampling = sampling };
        options.EosTokenIds.Add(_model.VocabularySize - 1);
        _decoder = _model.CreateGenerator(options);
        PrefillDecode();
        Decode();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        ResidentMemoryColumn.Record(Precision, process.WorkingSet64, process.PrivateMemorySize64);
    }

    [IterationSetup(Target = nameof(Decode))]
    public void PrefillDecode()
    {
        _decoder!.RewindTo(0);
        _decoder.AppendTokens(_prompt);
        _decoder.GenerateNextToken();
    }

    [Benchmark]
    [BenchmarkCategory("Decode")]
    public int Decode()
    {
        Generator decoder = _decoder!;
        for (int i = 0; i < NewTokens; i++)
        {
            decoder.GenerateNextToken();
        }

        return decoder.GetNextTokens()[0];
    }

    [GlobalSetup(Target = nameof(Bandwidth))]
    public void SetupBandwidth()
    {
        _data = GC.AllocateUninitializedArray<float>(BandwidthElements);
        _data.AsSpan().Fill(1f);
    }

    [Benchmark]
    [BenchmarkCategory("Bandwidth")]
    public float Bandwidth()
    {
        Parallel.For(0, 2, chunk => _partial[chunk] = TensorPrimitives.Sum(_data.AsSpan(chunk * (BandwidthElements / 2), BandwidthElements / 2)));
        return _partial[0] + _partial[1];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _decoder?.Dispose();
        _model?.Dispose();
        _data = [];
    }

    internal static string Format(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}
