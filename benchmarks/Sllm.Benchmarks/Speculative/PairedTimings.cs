using System.Collections.Concurrent;

namespace Sllm.Benchmarks.Speculative;

/// <summary>Per-iteration (plain, speculative) time pairs of in-process benchmarks, read back by <see cref="PairedRatioColumn"/>.</summary>
/// <remarks>Both runs of a pair happen back to back in one iteration, in alternating order, so a slow phase of a shared
/// machine slows both and cancels out of their ratio; the median over pairs ignores the odd disturbed one.</remarks>
internal static class PairedTimings
{
    private static readonly ConcurrentDictionary<string, List<(double Plain, double Speculative)>> Pairs = new(StringComparer.Ordinal);

    public static void Add(string key, double plain, double speculative)
    {
        List<(double, double)> list = Pairs.GetOrAdd(key, _ => []);
        lock (list)
        {
            list.Add((plain, speculative));
        }
    }

    /// <summary>Gets the ratios speculative / plain of <paramref name="take"/> pairs after the first <paramref name="skip"/>, sorted.</summary>
    public static double[] SortedRatios(string key, int skip, int take)
    {
        if (!Pairs.TryGetValue(key, out List<(double Plain, double Speculative)>? list))
        {
            return [];
        }

        double[] ratios;
        lock (list)
        {
            ratios = [.. list.Skip(skip).Take(take).Select(pair => pair.Speculative / pair.Plain)];
        }

        Array.Sort(ratios);
        return ratios;
    }
}
