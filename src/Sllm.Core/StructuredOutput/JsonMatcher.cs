namespace Sllm.StructuredOutput;

/// <summary>
/// A pushdown automaton over the UTF-8 bytes of <c>prefix JSON suffix</c>: the state is a stack of frames in an int span,
/// so it can be copied, hashed and checkpointed without allocating.
/// </summary>
/// <remarks>
/// <para>State layout: <c>[depth, frame0..., frame1..., ...]</c>, each frame <see cref="FrameSize"/> ints
/// <c>(node, phase, a, b)</c>. Frame 0 is the document (node -1): phase 0 reads the prefix, 1 is about to start the value,
/// 2 reads the suffix; <c>a</c> is the position in the literal.</para>
/// <para>Stepping mutates the state and leaves garbage behind when it rejects: callers step a copy.
/// The matcher itself is immutable and thread-safe.</para>
/// </remarks>
internal sealed partial class JsonMatcher
{
    public const int FrameSize = 4;
    private const int Reject = 0;
    private const int Consumed = 1;
    private const int Refeed = 2;
    private const int DocumentNode = -1;

    private readonly GrammarNode[] nodes;
    private readonly int root;
    private readonly byte[] prefix;
    private readonly byte[] suffix;

    public JsonMatcher(JsonSchemaConstraint constraint, byte[] prefix, byte[] suffix)
    {
        nodes = constraint.Nodes;
        root = constraint.Root;
        Capacity = constraint.MaxDepth + 1;
        this.prefix = prefix;
        this.suffix = suffix;
    }

    /// <summary>Gets the most frames a state holds (the document frame included).</summary>
    public int Capacity { get; }

    /// <summary>Gets the length of a state buffer.</summary>
    public int StateLength => 1 + (Capacity * FrameSize);

    /// <summary>Writes the start state into <paramref name="state"/>.</summary>
    public void Reset(Span<int> state)
    {
        state.Clear();
        state[0] = 1;
        state[1] = DocumentNode;
        state[2] = prefix.Length > 0 ? 0 : 1;
    }

    /// <summary>Returns how many ints of <paramref name="state"/> are in use.</summary>
    public static int UsedLength(ReadOnlySpan<int> state) => 1 + (state[0] * FrameSize);

    /// <summary>Advances by one byte; false (state garbage) when the byte cannot come next.</summary>
    public bool Step(Span<int> state, byte c)
    {
        while (true)
        {
            int f = 1 + ((state[0] - 1) * FrameSize);
            int node = state[f];
            int result = node == DocumentNode ? StepDocument(state, f, c) : nodes[node].Kind switch
            {
                NodeKind.Literal => StepLiteral(state, f, c, nodes[node]),
                NodeKind.String => StepString(state, f, c, nodes[node]),
                NodeKind.Number or NodeKind.Integer => StepNumber(state, f, c, nodes[node]),
                NodeKind.Object => StepObject(state, f, c, nodes[node]),
                NodeKind.FreeObject => StepFreeObject(state, f, c, nodes[node]),
                NodeKind.Array => StepArray(state, f, c, nodes[node]),
                NodeKind.Tagged => StepTagged(state, f, c, nodes[node]),
                _ => StepUnion(state, f, c, nodes[node]),
            };
            if (result != Refeed)
            {
                return result == Consumed;
            }
        }
    }

    /// <summary>Advances by several bytes; false (state garbage) when one cannot come next.</summary>
    public bool Step(Span<int> state, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            if (!Step(state, b))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns whether the text so far is a whole document: prefix, a complete value and the whole suffix.</summary>
    public bool IsComplete(ReadOnlySpan<int> state)
    {
        for (int depth = state[0]; depth > 0; depth--)
        {
            int f = 1 + ((depth - 1) * FrameSize);
            int node = state[f];
            if (node == DocumentNode)
            {
                return state[f + 1] == 2 && state[f + 2] == suffix.Length;
            }

            GrammarNode n = nodes[node];
            bool ends = n.Kind switch
            {
                NodeKind.Number or NodeKind.Integer => state[f + 1] is 2 or 3 or 5,
                NodeKind.Literal => n.Trie!.Value(state[f + 2]) >= 0,
                _ => false,
            };
            if (!ends)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Returns whether the top frame is inside a string body with no escape or character pending, and the room left
    /// (characters), so callers can admit plain text tokens without walking them.</summary>
    public bool InStringBody(ReadOnlySpan<int> state, out int room)
    {
        int f = 1 + ((state[0] - 1) * FrameSize);
        int node = state[f];
        room = 0;
        if (node == DocumentNode || nodes[node].Kind != NodeKind.String || state[f + 1] != 1)
        {
            return false;
        }

        room = nodes[node].Max < 0 ? int.MaxValue : nodes[node].Max - state[f + 2];
        return true;
    }

    /// <summary>
    /// Writes the cache key of a state: the state with every counter that no single token can move across a bound
    /// replaced by its class, so states that only differ in such counts (item 5 or item 6 of a long array, character 3 or
    /// 4 of a long string) share one mask.
    /// </summary>
    /// <param name="state">The state.</param>
    /// <param name="key">Receives the key; as long as the used part of the state.</param>
    /// <param name="reach">The most characters or items one token can add (its byte length bounds both).</param>
    public void WriteKey(ReadOnlySpan<int> state, Span<int> key, int reach)
    {
        int used = UsedLength(state);
        state[..used].CopyTo(key);
        for (int f = 1; f < used; f += FrameSize)
        {
            int node = state[f];
            if (node == DocumentNode || nodes[node].Kind is not (NodeKind.String or NodeKind.Array))
            {
                continue;
            }

            GrammarNode n = nodes[node];
            long count = state[f + 2];
            bool belowFar = count + reach < n.Min;
            bool aboveMin = count >= n.Min;
            bool maxFar = n.Max < 0 || count + reach < n.Max;
            key[f + 2] = belowFar && maxFar ? -1 : aboveMin && maxFar ? -2 : state[f + 2];
        }
    }

    private int StepDocument(Span<int> s, int f, byte c)
    {
        switch (s[f + 1])
        {
            case 0:
                if (s[f + 2] < prefix.Length && prefix[s[f + 2]] == c)
                {
                    s[f + 2]++;
                    s[f + 1] = s[f + 2] == prefix.Length ? 1 : 0;
                    return Consumed;
                }

                return Reject;
            case 1:
                s[f + 1] = 2;
                s[f + 2] = 0;
                return Push(s, root) ? Refeed : Reject;
            default:
                if (s[f + 2] < suffix.Length && suffix[s[f + 2]] == c)
                {
                    s[f + 2]++;
                    return Consumed;
                }

                return Reject;
        }
    }

    private bool Push(Span<int> s, int node)
    {
        int depth = s[0];
        if (depth + nodes[node].MinDepth > Capacity)
        {
            return false;
        }

        int f = 1 + (depth * FrameSize);
        s[f] = node;
        s[f + 1] = 0;
        s[f + 2] = 0;
        s[f + 3] = 0;
        s[0] = depth + 1;
        return true;
    }

    private bool Fits(ReadOnlySpan<int> s, int node) => s[0] + nodes[node].MinDepth <= Capacity;

    private static void Pop(Span<int> s) => s[0]--;

    private static int Increment(int count, GrammarNode node) => count < node.CounterCap ? count + 1 : count;
}
