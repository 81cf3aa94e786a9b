using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Sllm.Onnx.Building;
using Sllm.Onnx.Quantization;

namespace Sllm.Benchmarks.Decoding;

/// <summary>
/// For <see cref="QuantizedDecodeBenchmarks.Decode"/>: the measured rate as a fraction of the memory-bound ceiling,
/// bandwidth (the best <see cref="QuantizedDecodeBenchmarks.Bandwidth"/> iteration of the same run) ÷ the weight bytes
/// one decode step reads (every initializer except the embedding table, of which one row is read, and the rotary caches).
/// </summary>
internal sealed class RooflineColumn : IColumn
{
    public string Id => nameof(RooflineColumn);

    public string ColumnName => "Roofline";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 2;

    public bool IsNumeric => false;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Measured tokens/s as a share of bandwidth ÷ weight bytes per token (bandwidth from this run's Bandwidth benchmark)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (benchmarkCase.Descriptor.WorkloadMethod.Name != nameof(QuantizedDecodeBenchmarks.Decode)
            || summary[benchmarkCase]?.ResultStatistics is not { } statistics
            || benchmarkCase.Parameters["Precision"] is not string precision)
        {
            return "-";
        }

        double bandwidth = 0;
        foreach (BenchmarkCase other in summary.BenchmarksCases)
        {
            if (other.Descriptor.WorkloadMethod.Name == nameof(QuantizedDecodeBenchmarks.Bandwidth) && summary[other]?.ResultStatistics is { } bw)
            {
                bandwidth = Math.Max(bandwidth, new QuantizedDecodeBenchmarks().InputBytes(nameof(QuantizedDecodeBenchmarks.Bandwidth)) / (bw.Min / 1e9));
            }
        }

        long bytes = WeightBytesPerToken(Path.Combine(RepositoryPaths.Root, "benchmarks", "artifacts", "models", QuantizedDecodeBenchmarks.ModelName(precision)));
        if (bandwidth <= 0 || bytes <= 0)
        {
            return "?";
        }

        double rate = QuantizedDecodeBenchmarks.NewTokens / (statistics.Mean / 1e9);
        double ceiling = bandwidth / bytes;
        return string.Create(CultureInfo.InvariantCulture,
            $"{rate / ceiling:P0} of {ceiling:F1} tok/s ({bytes / 1e6:F0} MB/token at {bandwidth / 1e9:F1} GB/s)");
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <summary>Sums the initializers a decode step reads whole; 0 when the model folder is missing.</summary>
    internal static long WeightBytesPerToken(string directory)
    {
        string path = Path.Combine(directory, ModelBuildResult.ModelFileName);
        if (!File.Exists(path))
        {
            return 0;
        }

        ProtoMessage model = ProtoMessage.Parse(File.ReadAllBytes(path));
        ProtoMessage graph = model.Fields.Find(f => f.Number == 7).AsMessage();
        GraphIndex index = GraphIndex.Build(graph, path);
        var embeddings = new HashSet<string>(StringComparer.Ordinal) { "cos_cache", "sin_cache" };
        foreach ((_, ProtoMessage node) in index.Nodes)
        {
            List<string> inputs = node.Strings(1);
            if (node.String(4) == "Gather" && inputs.Count == 2 && inputs[1] == "input_ids" && index.Initializers.ContainsKey(inputs[0]))
            {
                embeddings.Add(inputs[0]);
            }
        }

        long bytes = 0;
        foreach (TensorView tensor in index.Initializers.Values)
        {
            if (!embeddings.Contains(tensor.Name))
            {
                bytes += tensor.ElementCount * TensorView.ElementBytes(tensor.DataType);
            }
        }

        return bytes;
    }
}
