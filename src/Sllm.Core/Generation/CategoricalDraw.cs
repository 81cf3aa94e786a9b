using System.Numerics.Tensors;

namespace Sllm.Generation;

/// <summary>
/// Draws from unnormalized weights the way <c>std::discrete_distribution</c> does: one uniform double times the total
/// weight, walked through the cumulative weights in double precision.
/// </summary>
internal static class CategoricalDraw
{
    /// <summary>Draws a position like <c>std::discrete_distribution</c>: a uniform double times the total weight,
    /// walked through the cumulative weights; zero weights are never chosen.</summary>
    public static int Position(MersenneTwister random, ReadOnlySpan<float> weights)
    {
        // A vectorized float total is within rounding of the walk's double sum; a target past the end falls back to
        // the last positive weight below.
        double total = TensorPrimitives.Sum(weights);
        double target = random.NextDouble() * total;
        double cumulative = 0;
        int last = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            float weight = weights[i];
            if (weight > 0)
            {
                cumulative += weight;
                last = i;
                if (cumulative > target)
                {
                    return i;
                }
            }
        }

        return last;
    }

    /// <summary><see cref="Position"/> over the tokens of <paramref name="keys"/>, weighted by their entry in
    /// <paramref name="weights"/>.</summary>
    public static int Token(MersenneTwister random, ReadOnlySpan<ulong> keys, ReadOnlySpan<float> weights)
    {
        double total = 0;
        foreach (ulong key in keys)
        {
            total += weights[SortKey.Token(key)];
        }

        double target = random.NextDouble() * total;
        double cumulative = 0;
        int last = SortKey.Token(keys[0]);
        foreach (ulong key in keys)
        {
            int token = SortKey.Token(key);
            float weight = weights[token];
            if (weight > 0)
            {
                cumulative += weight;
                last = token;
                if (cumulative > target)
                {
                    return token;
                }
            }
        }

        return last;
    }
}
