using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Sllm.Benchmarks;

/// <summary>Adds an "Alloc/token" column: MemoryDiagnoser's managed bytes per operation divided by the tokens it decodes.</summary>
/// <remarks>Shown only in summaries holding an <see cref="IHasTokenCount"/> class.</remarks>
internal sealed class AllocatedPerTokenColumn : IColumn
{
    public string Id => nameof(AllocatedPerTokenColumn);

    public string ColumnName => "Alloc/token";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 2;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Managed bytes allocated per decoded token (MemoryDiagnoser's bytes per operation / tokens per operation)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        int tokens = TokenCounts.Of(benchmarkCase);
        if (report is null || !report.Success || tokens <= 0)
        {
            return "-";
        }

        long? bytes = report.GcStats.GetBytesAllocatedPerOperation(benchmarkCase);
        return bytes is long value ? (value / (double)tokens).ToString("F1", CultureInfo.InvariantCulture) + " B" : "-";
    }

    public bool IsAvailable(Summary summary) => TokenCounts.AnyIn(summary);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
