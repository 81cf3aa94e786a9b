using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Sllm.Benchmarks;

/// <summary>Adds an "MB/s" column for benchmarks that declare how many input bytes one operation processes.</summary>
/// <remarks>A benchmark class opts in by implementing <see cref="IHasInputBytes"/>; the column divides by the mean time.</remarks>
internal sealed class ThroughputColumn : IColumn
{
    public string Id => nameof(ThroughputColumn);

    public string ColumnName => "MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Input megabytes (10^6 bytes: UTF-8 text, or array memory for the bandwidth probe) processed per second, from the mean time";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is null
            || Activator.CreateInstance(benchmarkCase.Descriptor.Type) is not IHasInputBytes inputs)
        {
            return "-";
        }

        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            benchmarkCase.Descriptor.Type.GetProperty(parameter.Name)?.SetValue(inputs, parameter.Value);
        }

        long bytes = inputs.InputBytes(benchmarkCase.Descriptor.WorkloadMethod.Name);
        double seconds = report.ResultStatistics.Mean / 1e9;
        return bytes <= 0 ? "-" : (bytes / 1e6 / seconds).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

/// <summary>Implemented by benchmark classes whose operations consume a known number of input bytes.</summary>
internal interface IHasInputBytes
{
    /// <summary>Gets the bytes one call of <paramref name="benchmarkMethod"/> processes, or 0 when not meaningful.</summary>
    long InputBytes(string benchmarkMethod);
}
