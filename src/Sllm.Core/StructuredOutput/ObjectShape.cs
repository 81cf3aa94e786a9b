namespace Sllm.StructuredOutput;

/// <summary>The declared properties of an object node, in emission order, with masks for the key trie.</summary>
/// <remarks>At most 64 properties, one bit each. Property <c>i</c> may be emitted next when it is at or after the next index
/// and not after the first required property still to come.</remarks>
internal sealed class ObjectShape
{
    public ObjectShape(string[] names, int[] values, bool[] required)
    {
        Names = names;
        Values = values;
        Candidates = new ulong[names.Length + 1];
        for (int next = 0; next <= names.Length; next++)
        {
            ulong mask = 0;
            for (int i = next; i < names.Length; i++)
            {
                mask |= 1UL << i;
                if (required[i])
                {
                    break;
                }
            }

            Candidates[next] = mask;
        }

        RequiredFrom = new ulong[names.Length + 1];
        for (int next = names.Length - 1; next >= 0; next--)
        {
            RequiredFrom[next] = RequiredFrom[next + 1] | (required[next] ? 1UL << next : 0);
        }
    }

    public string[] Names { get; }

    /// <summary>Gets the value node of each property.</summary>
    public int[] Values { get; }

    /// <summary>Gets, per next index, the properties that may come next.</summary>
    public ulong[] Candidates { get; }

    /// <summary>Gets, per next index, the required properties still to come.</summary>
    public ulong[] RequiredFrom { get; }

    /// <summary>Gets or sets, per frame depth, the properties whose shortest value still fits under the depth limit.</summary>
    public ulong[] FitMask { get; set; } = [];
}
