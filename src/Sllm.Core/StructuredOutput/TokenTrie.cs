namespace Sllm.StructuredOutput;

/// <summary>A byte trie over token texts in flat arrays: edges of a node are contiguous, ids end at nodes.</summary>
/// <remarks>Walking it with the automaton state prunes every token below a rejected byte at once; immutable, thread-safe.</remarks>
internal sealed class TokenTrie
{
    private TokenTrie(int[] edgeStart, byte[] edgeByte, int[] edgeTarget, int[] idStart, int[] ids)
    {
        EdgeStart = edgeStart;
        EdgeByte = edgeByte;
        EdgeTarget = edgeTarget;
        IdStart = idStart;
        Ids = ids;
    }

    /// <summary>Gets, per node, where its edges start (one more entry than nodes).</summary>
    public int[] EdgeStart { get; }

    public byte[] EdgeByte { get; }

    public int[] EdgeTarget { get; }

    /// <summary>Gets, per node, where the ids ending there start in <see cref="Ids"/> (one more entry than nodes).</summary>
    public int[] IdStart { get; }

    public int[] Ids { get; }

    /// <summary>Builds the trie of the given ids over their bytes.</summary>
    public static TokenTrie Build(byte[]?[] bytes, List<int> ids)
    {
        ids.Sort((x, y) => bytes[x].AsSpan().SequenceCompareTo(bytes[y]));
        var edgeStart = new List<int>();
        var edgeByte = new List<byte>();
        var edgeTarget = new List<int>();
        var idStart = new List<int>();
        var idList = new List<int>();

        // Breadth first, so nodes are processed in the order their ids were given and each node's edges stay contiguous.
        var queue = new Queue<(int Lo, int Hi, int Depth)>();
        queue.Enqueue((0, ids.Count, 0));
        int allocated = 1;
        while (queue.Count > 0)
        {
            (int lo, int hi, int depth) = queue.Dequeue();
            edgeStart.Add(edgeByte.Count);
            idStart.Add(idList.Count);
            int i = lo;
            while (i < hi && bytes[ids[i]]!.Length == depth)
            {
                idList.Add(ids[i++]);
            }

            while (i < hi)
            {
                byte b = bytes[ids[i]]![depth];
                int end = i + 1;
                while (end < hi && bytes[ids[end]]![depth] == b)
                {
                    end++;
                }

                edgeByte.Add(b);
                edgeTarget.Add(allocated++);
                queue.Enqueue((i, end, depth + 1));
                i = end;
            }
        }

        edgeStart.Add(edgeByte.Count);
        idStart.Add(idList.Count);
        return new TokenTrie([.. edgeStart], [.. edgeByte], [.. edgeTarget], [.. idStart], [.. idList]);
    }
}
