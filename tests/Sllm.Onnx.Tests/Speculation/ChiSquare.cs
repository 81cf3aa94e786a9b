namespace Sllm.Onnx.Speculation;

/// <summary>Chi-square checks for the sampling tests, at a 0.1% significance level (seeds are fixed, so no flakiness).</summary>
internal static class ChiSquare
{
    /// <summary>Goodness of fit of counts to expected probabilities; bins with tiny expectation are pooled.</summary>
    public static (double Statistic, double Critical) Fit(long[] counts, double[] expected)
    {
        long total = 0;
        foreach (long c in counts)
        {
            total += c;
        }

        double statistic = 0, pooledObserved = 0, pooledExpected = 0;
        int bins = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            double e = expected[i] * total;
            if (e < 5)
            {
                pooledObserved += counts[i];
                pooledExpected += e;
                continue;
            }

            statistic += (counts[i] - e) * (counts[i] - e) / e;
            bins++;
        }

        if (pooledExpected > 0)
        {
            statistic += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / Math.Max(pooledExpected, 1);
            bins++;
        }

        return (statistic, Critical(bins - 1));
    }

    /// <summary>Homogeneity of two samples of equal size.</summary>
    public static (double Statistic, double Critical) Same(long[] a, long[] b)
    {
        double statistic = 0;
        int bins = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] + b[i] > 0)
            {
                statistic += (double)(a[i] - b[i]) * (a[i] - b[i]) / (a[i] + b[i]);
                bins++;
            }
        }

        return (statistic, Critical(bins - 1));
    }

    /// <summary>The 99.9% quantile of chi-square with the given degrees of freedom (Wilson–Hilferty).</summary>
    private static double Critical(int df)
    {
        df = Math.Max(df, 1);
        double h = 2.0 / (9 * df);
        return df * Math.Pow(1 - h + (3.09 * Math.Sqrt(h)), 3) + 4;
    }
}
