using BenchmarkDotNet.Attributes;
using Sllm.Generation;
using Sllm.Onnx;
using LoraTargetModules = Sllm.Onnx.Building.LoraTargetModules;
using ModelBuilderOptions = Sllm.Onnx.Building.ModelBuilderOptions;
using ModelFamily = Sllm.Onnx.Building.ModelFamily;
using OnnxModelBuilder = Sllm.Onnx.Building.OnnxModelBuilder;
using Sllm.Onnx.Lora;

namespace Sllm.Benchmarks.Lora;

/// <summary>
/// What switching LoRA adapters per request costs: binding an adapter to a new generator, and decode steps that alternate
/// between two adapters against steps that stay on one (and against the base model with no adapter).
/// </summary>
/// <remarks>
/// <para>The model is a 4-layer, 256-wide Qwen2-style graph with LoRA inputs on all seven projections, built into a temp folder
/// at setup; 8 adapters of rank 16 are resident. Adapters are bound as ordinary inputs, so a switch is a different
/// generator's binding, with no session reload and no weight copy: the target is under 1 ms.</para>
/// <para><c>CreateGenerator*</c> time one request's generator (KV cache allocation plus binding) with and without an adapter;
/// the difference is the per-request switch cost. <c>Decode*</c> time <see cref="Steps"/> greedy decode steps.</para>
/// </remarks>
[MemoryDiagnoser]
public class AdapterSwitchBenchmarks
{
    /// <summary>Decode steps per operation.</summary>
    public const int Steps = 16;

    private const int Rank = 16;
    private static readonly int[] Prompt = [5, 17, 42, 99, 3, 250, 7, 11];
    private readonly List<LoraAdapter> adapters = [];
    private string directory = string.Empty;
    private OnnxModel? model;
    private Generator? first;
    private Generator? second;
    private Generator? plain;
    private GeneratorOptions withAdapter = new();
    private GeneratorOptions withoutAdapter = new();

    [GlobalSetup]
    public void Setup()
    {
        directory = Path.Combine(Path.GetTempPath(), "sllm-bench-lora-" + Environment.ProcessId);
        var options = new ModelBuilderOptions
        {
            Family = ModelFamily.Qwen2,
            HiddenSize = 256,
            NumLayers = 4,
            NumAttentionHeads = 4,
            NumKeyValueHeads = 2,
            HeadSize = 64,
            IntermediateSize = 512,
            TieWordEmbeddings = true,
            ContextLength = 256,
            LoraTargets = LoraTargetModules.All,
            Seed = 42,
        };
        OnnxModelBuilder.BuildAsync(directory, options).GetAwaiter().GetResult();
        model = OnnxModel.CreateAsync(directory).GetAwaiter().GetResult();
        for (int i = 0; i < 8; i++)
        {
            adapters.Add(LoraAdapter.Create(RandomAdapter(model, seed: i)));
        }

        withAdapter = Options(adapters[3]);
        withoutAdapter = Options(null);
        first = Start(adapters[0]);
        second = Start(adapters[1]);
        plain = Start(null);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        first?.Dispose();
        second?.Dispose();
        plain?.Dispose();
        foreach (LoraAdapter adapter in adapters)
        {
            adapter.Dispose();
        }

        model?.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public int CreateGeneratorBase()
    {
        using Generator generator = model!.CreateGenerator(withoutAdapter);
        return generator.MaxLength;
    }

    [Benchmark]
    public int CreateGeneratorWithAdapter()
    {
        using Generator generator = model!.CreateGenerator(withAdapter);
        return generator.MaxLength;
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public int DecodeSameAdapter()
    {
        int token = 0;
        for (int i = 0; i < Steps; i++)
        {
            token += Step(first!);
        }

        return token;
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public int DecodeAlternatingAdapters()
    {
        int token = 0;
        for (int i = 0; i < Steps; i += 2)
        {
            token += Step(first!);
            token += Step(second!);
        }

        return token;
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public int DecodeBaseModel()
    {
        int token = 0;
        for (int i = 0; i < Steps; i++)
        {
            token += Step(plain!);
        }

        return token;
    }

    private static int Step(Generator generator)
    {
        if (generator.IsDone || generator.TokenCount >= generator.MaxLength - 1)
        {
            generator.RewindTo(Prompt.Length);
        }

        generator.GenerateNextToken();
        return generator.GetNextTokens()[0];
    }

    private static GeneratorOptions Options(LoraAdapter? adapter) =>
        new() { MaxLength = 128, Adapter = adapter, Sampling = new SamplingOptions { DoSample = false } };

    private static OnnxAdapterFile RandomAdapter(OnnxModel model, int seed)
    {
        var random = new Random(seed);
        var parameters = new List<LoraParameter>();
        foreach (string name in model.Graph.AdapterInputs.Keys)
        {
            int[] dims = model.Graph.AdapterInputs[name].Dimensions;
            bool isA = name.EndsWith(".lora_A.weight", StringComparison.Ordinal);
            long[] shape = isA ? [dims[0], Rank] : [Rank, dims[1]];
            var values = new float[shape[0] * shape[1]];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = ((float)random.NextDouble() - 0.5f) * 0.1f;
            }

            parameters.Add(LoraParameter.FromSingles(name, shape, values));
        }

        return new OnnxAdapterFile(parameters);
    }

    private Generator Start(LoraAdapter? adapter)
    {
        Generator generator = model!.CreateGenerator(Options(adapter));
        generator.AppendTokens(Prompt);
        return generator;
    }
}
