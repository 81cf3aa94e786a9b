using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Sllm.Benchmarks.Speculative;

/// <summary>The median speculative / plain time ratio of <see cref="SpeculationOverheadBenchmarks"/>' paired runs, with its
/// interquartile range and the number of pairs.</summary>
/// <remarks>Reads <see cref="PairedTimings"/>, so it needs the in-process toolchain and one job per class; counts only the
/// measured iterations' pairs.</remarks>
internal sealed class PairedRatioColumn : IColumn
{
    public string Id => nameof(PairedRatioColumn);

    public string ColumnName => "Spec/Plain (paired)";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => false;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Median over iterations of speculative / plain decode time, both run in the same iteration (order alternating); [25th-75th percentile] and pair count";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        // The jitting run and the warm-up iterations come first; only the measured iterations' pairs count.
        int skip = 1 + benchmarkCase.Job.Run.WarmupCount;
        double[] ratios = PairedTimings.SortedRatios(SpeculationOverheadBenchmarks.Key(benchmarkCase), skip, benchmarkCase.Job.Run.IterationCount);
        if (ratios.Length == 0)
        {
            return "-";
        }

        return string.Create(CultureInfo.InvariantCulture, $"{Percentile(ratios, 0.5):F3} [{Percentile(ratios, 0.25):F3}-{Percentile(ratios, 0.75):F3}] n={ratios.Length}");
    }

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => c.Descriptor.Type == typeof(SpeculationOverheadBenchmarks));

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    private static double Percentile(double[] sorted, double p)
    {
        double index = p * (sorted.Length - 1);
        int low = (int)Math.Floor(index);
        int high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((index - low) * (sorted[high] - sorted[low]));
    }
}
