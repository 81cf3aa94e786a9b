namespace Sllm.StructuredOutput;

/// <summary>What a compiled grammar node matches.</summary>
internal enum NodeKind : byte
{
    /// <summary>One of a set of fixed byte strings (const, enum, true/false, null).</summary>
    Literal,

    /// <summary>A JSON string with length bounds.</summary>
    String,

    /// <summary>A JSON number in plain decimal form.</summary>
    Number,

    /// <summary>A JSON integer.</summary>
    Integer,

    /// <summary>An object with declared properties, emitted in declaration order.</summary>
    Object,

    /// <summary>An object with free keys whose values all match one node.</summary>
    FreeObject,

    /// <summary>An array of one item node with count bounds.</summary>
    Array,

    /// <summary>Alternatives told apart by their first byte.</summary>
    Union,

    /// <summary>Objects told apart by the literal value of their first, required property (a tagged union).</summary>
    Tagged,
}
