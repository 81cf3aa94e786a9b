namespace Sllm.Generation;

/// <summary>Partial selection of the k highest logits into <see cref="SortKey"/> keys.</summary>
internal static class TopKSelector
{
    /// <summary>Fills <paramref name="keys"/> with the k highest logits, highest first, lowest id first on a tie (a
    /// bounded max-heap of keys: most logits fail one float comparison against the heap's worst).</summary>
    public static void Select(ReadOnlySpan<float> logits, Span<ulong> keys)
    {
        int k = keys.Length;
        for (int i = 0; i < k; i++)
        {
            keys[i] = SortKey.Descending(logits[i], i);
        }

        for (int i = (k / 2) - 1; i >= 0; i--)
        {
            SiftDown(keys, i);
        }

        float worst = logits[SortKey.Token(keys[0])];
        for (int i = k; i < logits.Length; i++)
        {
            float value = logits[i];
            if (value < worst)
            {
                continue;
            }

            ulong key = SortKey.Descending(value, i);
            if (key < keys[0])
            {
                keys[0] = key;
                SiftDown(keys, 0);
                worst = logits[SortKey.Token(keys[0])];
            }
        }

        keys.Sort();
    }

    private static void SiftDown(Span<ulong> heap, int index)
    {
        ulong item = heap[index];
        while (true)
        {
            int child = (2 * index) + 1;
            if (child >= heap.Length)
            {
                break;
            }

            if (child + 1 < heap.Length && heap[child + 1] > heap[child])
            {
                child++;
            }

            if (heap[child] <= item)
            {
                break;
            }

            heap[index] = heap[child];
            index = child;
        }

        heap[index] = item;
    }
}
