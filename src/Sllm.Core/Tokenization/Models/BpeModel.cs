using System.Buffers;
using System.Collections.Concurrent;
using System.Text;

namespace Sllm.Tokenization.Models;

/// <summary>
/// Byte-pair encoding: the lowest-rank adjacent pair is merged first, the leftmost on ties (the reference's
/// heap order). Supports <c>byte_fallback</c>, <c>ignore_merges</c>, <c>fuse_unk</c>, <c>unk_token</c>,
/// <c>continuing_subword_prefix</c> and <c>end_of_word_suffix</c>. Immutable and thread-safe; the per-word cache is
/// a bounded concurrent dictionary.
/// </summary>
internal sealed class BpeModel : TokenizerModel
{
    private const int MaxCachedWordLength = 256;

    private readonly Dictionary<long, long> _merges;
    private readonly bool _byteFallback;
    private readonly bool _ignoreMerges;
    private readonly string _prefix;
    private readonly string _suffix;
    private readonly ByteFallbackTable _byteTokens;
    private readonly int _cacheCapacity;
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _cacheLookup;

    // Keyed by the text before the byte-level mapping, so a hit skips the mapping; separate from _cache because a raw
    // word and a mapped word can be the same string.
    private readonly ConcurrentDictionary<string, int[]> _rawCache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _rawCacheLookup;
    private int _cacheAdds;
    private int _rawCacheAdds;

    public BpeModel(Vocabulary vocabulary, Dictionary<long, long> merges, int unkId, bool fuseUnk, bool byteFallback,
        bool ignoreMerges, string? continuingSubwordPrefix, string? endOfWordSuffix, int cacheCapacity)
        : base(vocabulary, unkId, fuseUnk)
    {
        _merges = merges;
        _byteFallback = byteFallback;
        _ignoreMerges = ignoreMerges;
        _prefix = continuingSubwordPrefix ?? string.Empty;
        _suffix = endOfWordSuffix ?? string.Empty;
        _cacheCapacity = cacheCapacity;
        _cacheLookup = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
        _rawCacheLookup = _rawCache.GetAlternateLookup<ReadOnlySpan<char>>();
        _byteTokens = new ByteFallbackTable(vocabulary);
    }

    public override string? EndOfWordSuffix => _suffix.Length == 0 ? null : _suffix;

    /// <summary>Gets the continuing-subword prefix (empty when none).</summary>
    public string Prefix => _prefix;

    /// <summary>Packs a merge pair key.</summary>
    public static long PairKey(int left, int right) => ((long)left << 32) | (uint)right;

    /// <summary>Packs a merge value: rank and the merged token's id.</summary>
    public static long MergeValue(int rank, int newId) => ((long)rank << 32) | (uint)newId;

    public override void Encode(ReadOnlySpan<char> word, EncodeBuffer output)
    {
        if (word.IsEmpty)
        {
            return;
        }

        if (_ignoreMerges && Vocabulary.TryGetId(word, out int whole))
        {
            output.Add(whole);
            return;
        }

        if (_cacheCapacity > 0 && _cacheLookup.TryGetValue(word, out int[]? cached))
        {
            output.AddRange(cached);
            return;
        }

        int before = output.Count;
        EncodeUncached(word, output);
        if (_cacheCapacity > 0 && word.Length < MaxCachedWordLength)
        {
            AddToCache(_cache, _cacheLookup, ref _cacheAdds, word, output, before);
        }
    }

    /// <summary>
    /// Encodes a pre-token given before the byte-level mapping (what <c>ByteLevel</c> with <c>use_regex: false</c>
    /// would produce from it), caching by the unmapped text.
    /// </summary>
    public void EncodeByteLevel(ReadOnlySpan<char> raw, EncodeBuffer output)
    {
        if (_cacheCapacity > 0 && _rawCacheLookup.TryGetValue(raw, out int[]? cached))
        {
            output.AddRange(cached);
            return;
        }

        int before = output.Count;
        char[]? rented = null;
        Span<char> mapped = raw.Length <= 128 ? stackalloc char[raw.Length * 3] : (rented = ArrayPool<char>.Shared.Rent(raw.Length * 3));
        int n = Text.ByteLevelAlphabet.Map(raw, mapped);
        if (_ignoreMerges && Vocabulary.TryGetId(mapped[..n], out int whole))
        {
            output.Add(whole);
        }
        else
        {
            EncodeUncached(mapped[..n], output);
        }

        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        if (_cacheCapacity > 0 && raw.Length < MaxCachedWordLength)
        {
            AddToCache(_rawCache, _rawCacheLookup, ref _rawCacheAdds, raw, output, before);
        }
    }

    private void AddToCache(ConcurrentDictionary<string, int[]> cache, ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> lookup,
        ref int adds, ReadOnlySpan<char> word, EncodeBuffer output, int before)
    {
        // An approximate count: ConcurrentDictionary.Count takes every lock.
        if (Interlocked.Increment(ref adds) > _cacheCapacity)
        {
            cache.Clear();
            Volatile.Write(ref adds, 0);
        }

        lookup.TryAdd(word, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(output.Ids)[before..].ToArray());
    }

    private void EncodeUncached(ReadOnlySpan<char> word, EncodeBuffer output)
    {
        int n = word.Length;
        int[] ids = ArrayPool<int>.Shared.Rent(n);
        int[] starts = ArrayPool<int>.Shared.Rent(n);
        int[] lens = ArrayPool<int>.Shared.Rent(n);
        int[] prev = ArrayPool<int>.Shared.Rent(n);
        int[] next = ArrayPool<int>.Shared.Rent(n);
        long[] heap = ArrayPool<long>.Shared.Rent((3 * n) + 4);
        char[] scratch = ArrayPool<char>.Shared.Rent(_prefix.Length + _suffix.Length + 2);
        try
        {
            // Symbols are indexed by their first UTF-16 position, so "position" is also the tie-break order.
            int count = 0;
            int last = -1;
            for (int i = 0; i < n;)
            {
                int len = char.IsHighSurrogate(word[i]) && i + 1 < n && char.IsLowSurrogate(word[i + 1]) ? 2 : 1;
                bool first = i == 0, isLast = i + len == n;
                ReadOnlySpan<char> symbol = word.Slice(i, len);
                int id;
                if ((first || _prefix.Length == 0) && (!isLast || _suffix.Length == 0))
                {
                    id = Vocabulary.TryGetId(symbol, out int v) ? v : -1;
                }
                else
                {
                    int k = 0;
                    if (!first)
                    {
                        _prefix.CopyTo(scratch);
                        k = _prefix.Length;
                    }

                    symbol.CopyTo(scratch.AsSpan(k));
                    k += len;
                    if (isLast)
                    {
                        _suffix.CopyTo(scratch.AsSpan(k));
                        k += _suffix.Length;
                    }

                    id = Vocabulary.TryGetId(scratch.AsSpan(0, k), out int v) ? v : -1;
                }

                ids[i] = id;
                starts[i] = i;
                lens[i] = len;
                prev[i] = last;
                next[i] = -1;
                if (last >= 0)
                {
                    next[last] = i;
                }

                last = i;
                count++;
                i += len;
            }

            int heapCount = 0;
            for (int i = 0; i < n; i += lens[i])
            {
                if (next[i] >= 0)
                {
                    TryPush(heap, ref heapCount, ids[i], ids[next[i]], i);
                }
            }

            while (heapCount > 0)
            {
                long top = Pop(heap, ref heapCount);
                int rank = (int)(top >> 32);
                int pos = (int)(top & 0xFFFFFFFF);
                if (lens[pos] == 0 || next[pos] < 0)
                {
                    continue;
                }

                int right = next[pos];
                if (ids[pos] < 0 || ids[right] < 0 || !_merges.TryGetValue(PairKey(ids[pos], ids[right]), out long merge)
                    || (int)(merge >> 32) != rank)
                {
                    continue;
                }

                ids[pos] = (int)(merge & 0xFFFFFFFF);
                lens[pos] += lens[right];
                lens[right] = 0;
                next[pos] = next[right];
                if (next[right] >= 0)
                {
                    prev[next[right]] = pos;
                }

                if (prev[pos] >= 0)
                {
                    TryPush(heap, ref heapCount, ids[prev[pos]], ids[pos], prev[pos]);
                }

                if (next[pos] >= 0)
                {
                    TryPush(heap, ref heapCount, ids[pos], ids[next[pos]], pos);
                }
            }

            for (int i = 0; i < n; i = next[i] < 0 ? n : next[i])
            {
                if (ids[i] >= 0)
                {
                    output.Add(ids[i]);
                }
                else
                {
                    EmitUnknown(word.Slice(starts[i], lens[i]), output);
                }
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(scratch);
            ArrayPool<long>.Shared.Return(heap);
            ArrayPool<int>.Shared.Return(next);
            ArrayPool<int>.Shared.Return(prev);
            ArrayPool<int>.Shared.Return(lens);
            ArrayPool<int>.Shared.Return(starts);
            ArrayPool<int>.Shared.Return(ids);
        }
    }

    private void EmitUnknown(ReadOnlySpan<char> text, EncodeBuffer output)
    {
        if (_byteFallback && _byteTokens.TryAdd(text, output))
        {
            return;
        }

        if (UnkId >= 0)
        {
            output.Add(UnkId);
        }
    }

    private void TryPush(long[] heap, ref int count, int left, int right, int pos)
    {
        if (left < 0 || right < 0 || !_merges.TryGetValue(PairKey(left, right), out long merge))
        {
            return;
        }

        long key = (merge & unchecked((long)0xFFFFFFFF00000000)) | (uint)pos;
        int i = count++;
        heap[i] = key;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (heap[parent] <= key)
            {
                break;
            }

            heap[i] = heap[parent];
            i = parent;
        }

        heap[i] = key;
    }

    private static long Pop(long[] heap, ref int count)
    {
        long top = heap[0];
        long last = heap[--count];
        int i = 0;
        while (true)
        {
            int child = (2 * i) + 1;
            if (child >= count)
            {
                break;
            }

            if (child + 1 < count && heap[child + 1] < heap[child])
            {
                child++;
            }

            if (heap[child] >= last)
            {
                break;
            }

            heap[i] = heap[child];
            i = child;
        }

        if (count > 0)
        {
            heap[i] = last;
        }

        return top;
    }
}
