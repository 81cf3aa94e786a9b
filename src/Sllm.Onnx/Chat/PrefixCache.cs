namespace Sllm.Onnx;

/// <summary>Idle generators kept with their sequences and KV caches, so a request whose prompt starts with a cached sequence
/// (the same system prompt, the earlier turns of a chat) prefills only the tokens after the shared prefix.</summary>
/// <remarks>
/// A generator is rented out (removed) for the length of one request and returned afterwards, so no two requests ever share one.
/// Entries are grouped by a partition key (state that changes the KV values, such as a LoRA adapter) and evicted least recently
/// used first while their retained bytes exceed the budget. Thread-safe; owns the idle generators and disposes them.
/// </remarks>
internal sealed class PrefixCache : IDisposable
{
    private readonly long budgetBytes;
    private readonly List<Entry> entries = [];
    private long retainedBytes;
    private long clock;
    private bool disposed;

    public PrefixCache(long budgetBytes) => this.budgetBytes = budgetBytes;

    /// <summary>Gets the number of idle generators held.</summary>
    public int Count
    {
        get
        {
            lock (entries)
            {
                return entries.Count;
            }
        }
    }

    /// <summary>Gets the bytes the idle generators hold.</summary>
    public long RetainedBytes
    {
        get
        {
            lock (entries)
            {
                return retainedBytes;
            }
        }
    }

    /// <summary>Takes out the generator whose sequence shares the longest prefix with <paramref name="prompt"/>.</summary>
    /// <param name="prompt">The new request's prompt tokens.</param>
    /// <param name="partition">Only generators returned under this key qualify.</param>
    /// <param name="minimumCapacity">The max length the request needs.</param>
    /// <param name="sharedLength">The number of leading prompt tokens the generator already holds.</param>
    /// <returns>The generator, or <see langword="null"/> when none shares a prefix.</returns>
    public Generator? Rent(ReadOnlySpan<int> prompt, string partition, int minimumCapacity, out int sharedLength)
    {
        sharedLength = 0;
        lock (entries)
        {
            int best = -1;
            for (int i = 0; i < entries.Count; i++)
            {
                Entry entry = entries[i];
                if (entry.Generator.MaxLength < minimumCapacity || !string.Equals(entry.Partition, partition, StringComparison.Ordinal))
                {
                    continue;
                }

                int shared = prompt.CommonPrefixLength(entry.Generator.GetSequence(0));
                if (shared > sharedLength)
                {
                    sharedLength = shared;
                    best = i;
                }
            }

            if (best < 0)
            {
                return null;
            }

            Entry taken = entries[best];
            entries.RemoveAt(best);
            retainedBytes -= taken.Bytes;
            return taken.Generator;
        }
    }

    /// <summary>Keeps a generator for later requests, evicting the least recently used ones beyond the budget.</summary>
    /// <param name="generator">The generator; the cache owns it from now on.</param>
    /// <param name="partition">The key later requests must match.</param>
    public void Return(Generator generator, string partition)
    {
        long bytes = generator.RetainedBytes;
        List<Generator>? evicted = null;
        lock (entries)
        {
            if (disposed || bytes > budgetBytes || generator.TokenCount == 0)
            {
                evicted = [generator];
            }
            else
            {
                entries.Add(new Entry(generator, partition, bytes, ++clock));
                retainedBytes += bytes;
                while (retainedBytes > budgetBytes)
                {
                    int oldest = 0;
                    for (int i = 1; i < entries.Count; i++)
                    {
                        if (entries[i].LastUse < entries[oldest].LastUse)
                        {
                            oldest = i;
                        }
                    }

                    Entry victim = entries[oldest];
                    entries.RemoveAt(oldest);
                    retainedBytes -= victim.Bytes;
                    (evicted ??= []).Add(victim.Generator);
                }
            }
        }

        // Native memory is released outside the lock so other requests are not held up by it.
        if (evicted is not null)
        {
            foreach (Generator victim in evicted)
            {
                victim.Dispose();
            }
        }
    }

    /// <summary>Disposes every idle generator; generators returned later are disposed at once.</summary>
    public void Dispose()
    {
        List<Entry> idle;
        lock (entries)
        {
            disposed = true;
            idle = [.. entries];
            entries.Clear();
            retainedBytes = 0;
        }

        foreach (Entry entry in idle)
        {
            entry.Generator.Dispose();
        }
    }

    private readonly record struct Entry(Generator Generator, string Partition, long Bytes, long LastUse);
}
