namespace Sllm.Generation;

/// <summary>
/// Finds the top-p nucleus without sorting the vocabulary: the tokens a full descending sort would keep (up to and
/// including the first whose cumulative weight reaches top_p of the total), in no particular order.
/// </summary>
/// <remarks>
/// Two steps, both linear in practice: collect the tokens above a weight threshold, lowered until they hold enough
/// weight (a peaked row needs one pass over the vocabulary and yields a few candidates); then a weighted quickselect on
/// <see cref="SortKey"/> keys, whose total order (weight, then id) makes the cut the same as the sorted one. A depth
/// limit falls back to sorting, so the worst case stays O(n log n).
/// </remarks>
internal static class NucleusSelector
{
    private const float Widening = 64f;
    private const int SortBelow = 32;

    /// <summary>Writes the nucleus's keys to the start of <paramref name="keys"/> and returns how many there are.</summary>
    /// <param name="weights">The unnormalized softmax of the row (the top weight is about 1).</param>
    /// <param name="total">The sum of <paramref name="weights"/>.</param>
    /// <param name="topP">The nucleus probability, in (0, 1).</param>
    /// <param name="keys">Scratch as long as the vocabulary.</param>
    public static int Select(ReadOnlySpan<float> weights, float total, float topP, Span<ulong> keys)
    {
        double target = (double)topP * total;
        int count = Collect(weights, total, target, topP, keys);
        return Cut(weights, keys[..count], target);
    }

    private static int Collect(ReadOnlySpan<float> weights, float total, double target, float topP, Span<ulong> keys)
    {
        // At the floor the uncollected weight is below (1 - top_p) of the total, so that pass must succeed; a last
        // pass at 0 covers float rounding.
        float floor = (1 - topP) * total / weights.Length;
        if (!float.IsFinite(floor))
        {
            // Unreachable from TokenSampler (its weights are finite); without it a NaN floor would never end the loop.
            floor = 0;
        }

        float threshold = 1f / Widening;
        while (true)
        {
            threshold = Math.Max(threshold, floor);
            int count = 0;
            double collected = 0;
            for (int i = 0; i < weights.Length; i++)
            {
                float weight = weights[i];
                if (weight >= threshold)
                {
                    keys[count++] = SortKey.Descending(weight, i);
                    collected += weight;
                }
            }

            if (collected >= target || threshold == 0)
            {
                return count;
            }

            if (threshold <= floor)
            {
                floor = 0;
                threshold = 0;
            }
            else
            {
                threshold /= Widening;
            }
        }
    }

    private static int Cut(ReadOnlySpan<float> weights, Span<ulong> keys, double target)
    {
        int low = 0;
        int high = keys.Length;
        double need = target;
        int depth = 2 * (int.Log2(Math.Max(keys.Length, 1)) + 1);
        while (high - low > SortBelow && depth-- > 0)
        {
            int pivot = Partition(weights, keys, low, high, out double betterWeight);
            if (betterWeight >= need)
            {
                high = pivot;
                continue;
            }

            double throughPivot = betterWeight + weights[SortKey.Token(keys[pivot])];
            if (throughPivot >= need)
            {
                return pivot + 1;
            }

            need -= throughPivot;
            low = pivot + 1;
        }

        Span<ulong> rest = keys[low..high];
        rest.Sort();
        double cumulative = 0;
        for (int j = 0; j < rest.Length; j++)
        {
            cumulative += weights[SortKey.Token(rest[j])];
            if (cumulative >= need)
            {
                return low + j + 1;
            }
        }

        // Rounding left the target just out of reach: keep everything still in play, as the sorted walk would.
        return high;
    }

    /// <summary>Partitions keys[low..high) around a median-of-three pivot: better (smaller) keys first. Returns the
    /// pivot's final position and the weight of the keys before it.</summary>
    private static int Partition(ReadOnlySpan<float> weights, Span<ulong> keys, int low, int high, out double betterWeight)
    {
        int last = high - 1;
        int middle = low + ((high - low) >> 1);
        ulong a = keys[low];
        ulong b = keys[middle];
        ulong c = keys[last];
        int median = a < b ? (b < c ? middle : (a < c ? last : low)) : (a < c ? low : (b < c ? last : middle));
        (keys[median], keys[last]) = (keys[last], keys[median]);

        ulong pivot = keys[last];
        int store = low;
        double weight = 0;
        for (int i = low; i < last; i++)
        {
            ulong key = keys[i];
            if (key < pivot)
            {
                keys[i] = keys[store];
                keys[store++] = key;
                weight += weights[SortKey.Token(key)];
            }
        }

        keys[last] = keys[store];
        keys[store] = pivot;
        betterWeight = weight;
        return store;
    }
}
