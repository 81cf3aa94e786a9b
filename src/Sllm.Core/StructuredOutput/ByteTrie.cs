namespace Sllm.StructuredOutput;

/// <summary>A small trie over byte strings (literals, property keys); node 0 is the root.</summary>
/// <remarks>Each node knows the bit mask of the values below it, so a walk can be restricted to a subset of keys.</remarks>
internal sealed class ByteTrie
{
    private readonly List<Dictionary<byte, int>> children = [new()];
    private readonly List<int> values = [-1];
    private readonly List<ulong> masks = [0];

    /// <summary>Adds a byte string with a value index below 64 (its bit in the masks).</summary>
    public void Add(ReadOnlySpan<byte> key, int value)
    {
        int node = 0;
        ulong bit = value < 64 ? 1UL << value : 0;
        masks[0] |= bit;
        foreach (byte b in key)
        {
            if (!children[node].TryGetValue(b, out int next))
            {
                next = children.Count;
                children.Add([]);
                values.Add(-1);
                masks.Add(0);
                children[node][b] = next;
            }

            node = next;
            masks[node] |= bit;
        }

        values[node] = value;
    }

    /// <summary>Returns the child of <paramref name="node"/> along <paramref name="b"/>, or -1.</summary>
    public int Next(int node, byte b) => children[node].TryGetValue(b, out int next) ? next : -1;

    /// <summary>Returns the value that ends at <paramref name="node"/>, or -1.</summary>
    public int Value(int node) => values[node];

    /// <summary>Returns whether a longer key continues past <paramref name="node"/>.</summary>
    public bool HasChildren(int node) => children[node].Count > 0;

    /// <summary>Returns the values below <paramref name="node"/> as bits.</summary>
    public ulong Mask(int node) => masks[node];

    /// <summary>Returns the bytes that may start a key.</summary>
    public IEnumerable<byte> FirstBytes => children[0].Keys;

    /// <summary>Returns every key of the trie.</summary>
    public List<byte[]> Keys()
    {
        var keys = new List<byte[]>();
        Collect(0, [], keys);
        return keys;
    }

    /// <summary>Copies every key of another trie in, with its value.</summary>
    public void AddAll(ByteTrie other) => other.Visit(0, [], this);

    private void Collect(int node, List<byte> prefix, List<byte[]> keys)
    {
        if (values[node] >= 0)
        {
            keys.Add([.. prefix]);
        }

        foreach (KeyValuePair<byte, int> child in children[node])
        {
            prefix.Add(child.Key);
            Collect(child.Value, prefix, keys);
            prefix.RemoveAt(prefix.Count - 1);
        }
    }

    private void Visit(int node, List<byte> prefix, ByteTrie target)
    {
        if (values[node] >= 0)
        {
            target.Add([.. prefix], target.values.Count);
        }

        foreach (KeyValuePair<byte, int> child in children[node])
        {
            prefix.Add(child.Key);
            Visit(child.Value, prefix, target);
            prefix.RemoveAt(prefix.Count - 1);
        }
    }
}
