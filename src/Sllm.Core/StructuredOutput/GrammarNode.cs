namespace Sllm.StructuredOutput;

/// <summary>One node of a compiled JSON grammar; which fields mean something depends on <see cref="Kind"/>.</summary>
/// <remarks>Immutable once the compiler finishes; shared by every matcher of the grammar.</remarks>
internal sealed class GrammarNode
{
    public GrammarNode(NodeKind kind) => Kind = kind;

    public NodeKind Kind { get; set; }

    /// <summary>Gets or sets the lower bound: string length or array items.</summary>
    public int Min { get; set; }

    /// <summary>Gets or sets the upper bound (string length or array items), or -1 for none.</summary>
    public int Max { get; set; } = -1;

    /// <summary>Gets or sets the child: array items, free-object values.</summary>
    public int Child { get; set; } = -1;

    /// <summary>Gets or sets the key node of a free object (a plain string).</summary>
    public int Key { get; set; } = -1;

    /// <summary>Gets or sets the literals (for <see cref="NodeKind.Literal"/>) or property keys (for <see cref="NodeKind.Object"/>).</summary>
    public ByteTrie? Trie { get; set; }

    /// <summary>Gets or sets the declared properties of an object.</summary>
    public ObjectShape? Shape { get; set; }

    /// <summary>Gets or sets, for a union, the node each first byte leads to (-1: none).</summary>
    public int[]? Dispatch { get; set; }

    /// <summary>Gets or sets, for a tagged union, the object nodes its prefix trie values index.</summary>
    public int[]? Tags { get; set; }

    /// <summary>Gets or sets, for a union not yet resolved, its alternatives and where they were declared.</summary>
    public (int[] Nodes, string Pointer, string Keyword)? Alternatives { get; set; }

    /// <summary>Gets or sets how many stack frames a shortest value of this node needs, itself included (int.MaxValue: none fits).</summary>
    public int MinDepth { get; set; } = int.MaxValue;

    /// <summary>Makes this node a copy of another (how a <c>$ref</c> placeholder takes its target's shape).</summary>
    public void CopyFrom(GrammarNode other)
    {
        Kind = other.Kind;
        Min = other.Min;
        Max = other.Max;
        Child = other.Child;
        Key = other.Key;
        Trie = other.Trie;
        Shape = other.Shape;
        Dispatch = other.Dispatch;
        Alternatives = other.Alternatives;
        Tags = other.Tags;
    }

    /// <summary>Gets the count a bounded counter saturates at: only values up to it change what may follow.</summary>
    public int CounterCap => Max >= 0 ? Math.Max(Min, Max) : Min;
}
