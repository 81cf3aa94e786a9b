using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Sllm.Benchmarks.Decoding;

/// <summary>
/// For <see cref="QuantizedDecodeBenchmarks.Decode"/>: the benchmark process's working set and private bytes after the
/// model loaded and decoded once, which its global setup records in <c>benchmarks/artifacts/</c> (the column runs in the
/// host process, after the benchmark processes exited).
/// </summary>
internal sealed class ResidentMemoryColumn : IColumn
{
    public string Id => nameof(ResidentMemoryColumn);

    public string ColumnName => "Resident";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 3;

    public bool IsNumeric => false;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Working set / private bytes of the benchmark process after load and one decode";

    public static void Record(string precision, long workingSet, long privateBytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FileOf(precision))!);
        File.WriteAllText(FileOf(precision), string.Create(CultureInfo.InvariantCulture, $"{workingSet / 1e6:N0} MB WS / {privateBytes / 1e6:N0} MB private"));
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(QuantizedDecodeBenchmarks.Decode)
        && benchmarkCase.Parameters["Precision"] is string precision && File.Exists(FileOf(precision))
            ? File.ReadAllText(FileOf(precision))
            : "-";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    private static string FileOf(string precision) =>
        Path.Combine(RepositoryPaths.Root, "benchmarks", "artifacts", $"resident-memory-{precision}.txt");
}
