using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Sllm.Benchmarks;

/// <summary>Adds a "Tokens/s" column for benchmarks that declare how many tokens one operation decodes.</summary>
/// <remarks>Shown only in summaries holding an <see cref="IHasTokenCount"/> class; the rate divides by the mean time.</remarks>
internal sealed class TokenRateColumn : IColumn
{
    public string Id => nameof(TokenRateColumn);

    public string ColumnName => "Tokens/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Decoded tokens per second, from the mean time of one operation (decode methods only)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        int tokens = TokenCounts.Of(benchmarkCase);
        if (report?.ResultStatistics is null || tokens <= 0)
        {
            return "-";
        }

        return (tokens / (report.ResultStatistics.Mean / 1e9)).ToString("F2", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => TokenCounts.AnyIn(summary);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
