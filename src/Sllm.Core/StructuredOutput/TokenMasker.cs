namespace Sllm.StructuredOutput;

/// <summary>
/// Computes which token ids may come next from an automaton state: plain tokens in string bodies from precomputed masks,
/// everything else by walking the token trie with the state, pruning each rejected byte's whole subtree. Masks are cached
/// per state.
/// </summary>
/// <remarks>Owns scratch buffers and a cache: one instance per processor, not thread-safe.</remarks>
internal sealed class TokenMasker
{
    private const int MaxCached = 512;

    private readonly JsonMatcher matcher;
    private readonly VocabularyIndex index;
    private readonly int stride;
    private readonly int[] scratch;
    private readonly Dictionary<ulong, (int[] State, ulong[] Mask)> cache = [];
    private readonly int[] excluded;
    private readonly int[] keyScratch;
    private ulong[] target = [];

    public TokenMasker(JsonMatcher matcher, VocabularyIndex index, int[] excluded)
    {
        this.matcher = matcher;
        this.index = index;
        this.excluded = excluded;
        stride = matcher.StateLength;
        scratch = new int[(index.MaxTokenLength + 2) * stride];
        keyScratch = new int[stride];
    }

    /// <summary>Returns the allowed ids of a state as a bit mask (owned by the cache: do not modify).</summary>
    public ulong[] Mask(ReadOnlySpan<int> state)
    {
        int used = JsonMatcher.UsedLength(state);
        Span<int> key = keyScratch.AsSpan(0, used);
        matcher.WriteKey(state, key, index.MaxTokenLength);
        ulong hash = 14695981039346656037UL;
        for (int i = 0; i < used; i++)
        {
            hash = (hash ^ (uint)key[i]) * 1099511628211UL;
        }

        if (cache.TryGetValue(hash, out (int[] State, ulong[] Mask) hit) && key.SequenceEqual(hit.State))
        {
            return hit.Mask;
        }

        ulong[] mask = Compute(state);
        if (cache.Count >= MaxCached)
        {
            cache.Clear();
        }

        cache[hash] = (key.ToArray(), mask);
        return mask;
    }

    /// <summary>Computes the mask of a state without the cache (allocates the result).</summary>
    public ulong[] Compute(ReadOnlySpan<int> state)
    {
        ulong[] mask = new ulong[index.Words];
        target = mask;
        TokenTrie trie = index.All;
        if (matcher.InStringBody(state, out int room))
        {
            AddPlain(mask, room);
            trie = index.NotPlain;
        }

        int used = JsonMatcher.UsedLength(state);
        state[..used].CopyTo(scratch);
        Walk(trie, 0, 0);
        foreach (int id in excluded)
        {
            if ((uint)id < (uint)index.Size)
            {
                mask[id >> 6] &= ~(1UL << id);
            }
        }

        target = [];
        return mask;
    }

    /// <summary>Returns whether <paramref name="token"/> may follow <paramref name="state"/> (steps a copy).</summary>
    public bool Allows(ReadOnlySpan<int> state, int token)
    {
        if ((uint)token >= (uint)index.Size || index.Bytes[token] is not { } bytes || Array.IndexOf(excluded, token) >= 0)
        {
            return false;
        }

        Span<int> copy = scratch.AsSpan(0, stride);
        state[..JsonMatcher.UsedLength(state)].CopyTo(copy);
        return matcher.Step(copy, bytes);
    }

    private void AddPlain(ulong[] mask, int room)
    {
        if (room <= 0)
        {
            return;
        }

        index.PlainUpTo[Math.Min(room, VocabularyIndex.ShortPlain)].CopyTo(mask, 0);
        if (room > VocabularyIndex.ShortPlain)
        {
            foreach ((int id, int characters) in index.LongPlain)
            {
                if (characters <= room)
                {
                    mask[id >> 6] |= 1UL << id;
                }
            }
        }
    }

    private void Walk(TokenTrie trie, int node, int level)
    {
        int from = level * stride;
        int to = from + stride;
        int used = JsonMatcher.UsedLength(scratch.AsSpan(from));
        int[] edgeTarget = trie.EdgeTarget;
        int end = trie.EdgeStart[node + 1];
        for (int e = trie.EdgeStart[node]; e < end; e++)
        {
            Span<int> child = scratch.AsSpan(to, stride);
            scratch.AsSpan(from, used).CopyTo(child);
            if (!matcher.Step(child, trie.EdgeByte[e]))
            {
                continue;
            }

            int next = edgeTarget[e];
            for (int i = trie.IdStart[next]; i < trie.IdStart[next + 1]; i++)
            {
                int id = trie.Ids[i];
                target[id >> 6] |= 1UL << id;
            }

            if (trie.EdgeStart[next + 1] > trie.EdgeStart[next])
            {
                Walk(trie, next, level + 1);
            }
        }
    }
}
