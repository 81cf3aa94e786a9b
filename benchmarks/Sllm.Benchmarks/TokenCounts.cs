using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Sllm.Benchmarks;

/// <summary>Reads <see cref="IHasTokenCount"/> for the token columns.</summary>
internal static class TokenCounts
{
    public static int Of(BenchmarkCase benchmarkCase)
    {
        // A fresh instance: the columns run after the benchmark processes exited, and the count depends only on parameters.
        if (!typeof(IHasTokenCount).IsAssignableFrom(benchmarkCase.Descriptor.Type)
            || Activator.CreateInstance(benchmarkCase.Descriptor.Type) is not IHasTokenCount counted)
        {
            return 0;
        }

        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            benchmarkCase.Descriptor.Type.GetProperty(parameter.Name)?.SetValue(counted, parameter.Value);
        }

        return counted.DecodedTokens(benchmarkCase.Descriptor.WorkloadMethod.Name);
    }

    public static bool AnyIn(Summary summary)
    {
        foreach (BenchmarkCase benchmarkCase in summary.BenchmarksCases)
        {
            if (typeof(IHasTokenCount).IsAssignableFrom(benchmarkCase.Descriptor.Type))
            {
                return true;
            }
        }

        return false;
    }
}
