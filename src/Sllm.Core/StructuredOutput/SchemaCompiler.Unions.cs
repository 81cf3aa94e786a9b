namespace Sllm.StructuredOutput;

/// <content>Unions by first byte, the any-value grammar, and the depth bookkeeping done once compilation ends.</content>
internal sealed partial class SchemaCompiler
{
    // Unions are resolved after compilation: an alternative may be a $ref whose target is still being compiled.
    private int Union(List<int> alternatives, string pointer, string keyword) =>
        alternatives.Count == 1 ? alternatives[0] : Add(new GrammarNode(NodeKind.Union) { Alternatives = ([.. alternatives], pointer, keyword) });

    private void Resolve(GrammarNode union, int guard)
    {
        (int[] alternatives, string pointer, string keyword) = union.Alternatives!.Value;
        if (guard > nodes.Count)
        {
            throw Error($"'{keyword}' at '{pointer}' refers back to itself without an object or array in between.", pointer, keyword);
        }

        // Integer is a subset of number, and literal sets merge: neither needs telling apart.
        var kept = new List<int>();
        ByteTrie? literals = null;
        bool hasNumber = false;
        foreach (int alternative in alternatives)
        {
            if (nodes[alternative] is { Kind: NodeKind.Union, Dispatch: null } inner)
            {
                Resolve(inner, guard + 1);
            }

            hasNumber |= nodes[alternative].Kind == NodeKind.Number;
        }

        foreach (int alternative in alternatives)
        {
            GrammarNode node = nodes[alternative];
            if (node.Kind == NodeKind.Literal)
            {
                literals ??= new ByteTrie();
                literals.AddAll(node.Trie!);
            }
            else if (node.Kind != NodeKind.Integer || !hasNumber)
            {
                kept.Add(alternative);
            }
        }

        if (literals is not null)
        {
            kept.Add(Add(new GrammarNode(NodeKind.Literal) { Trie = literals }));
        }

        List<int> objects = kept.FindAll(i => nodes[i].Kind == NodeKind.Object);
        if (objects.Count > 1)
        {
            kept.RemoveAll(objects.Contains);
            kept.Add(Tagged(objects, pointer, keyword));
        }

        int[] dispatch = new int[256];
        Array.Fill(dispatch, -1);
        foreach (int alternative in kept)
        {
            for (int b = 0; b < 256; b++)
            {
                int target = Target(alternative, (byte)b);
                if (target < 0)
                {
                    continue;
                }

                if (dispatch[b] >= 0 && dispatch[b] != target)
                {
                    throw Error(
                        $"'{keyword}' at '{pointer}' has alternatives that can both start with '{(char)b}'; constrained decoding supports only alternatives of different JSON types (or literals).",
                        pointer,
                        keyword);
                }

                dispatch[b] = target;
            }
        }

        union.Dispatch = dispatch;
    }

    /// <summary>Builds the tagged union of objects whose first property is required and has literal values that tell
    /// them apart, such as tool calls <c>{"name":"a",...}</c> / <c>{"name":"b",...}</c>.</summary>
    private int Tagged(List<int> objects, string pointer, string keyword)
    {
        if (objects.Count > 64)
        {
            throw Error($"'{keyword}' at '{pointer}' has more than 64 object alternatives.", pointer, keyword);
        }

        var trie = new ByteTrie();
        for (int i = 0; i < objects.Count; i++)
        {
            ObjectShape shape = nodes[objects[i]].Shape!;
            GrammarNode? first = shape.Names.Length > 0 ? nodes[shape.Values[0]] : null;
            if (first is not { Kind: NodeKind.Literal } || (shape.RequiredFrom[0] & 1) == 0)
            {
                throw Error(
                    $"'{keyword}' at '{pointer}' has several object alternatives; constrained decoding tells objects apart only by a first, required property with const or enum values (like \"name\" of a tool call).",
                    pointer,
                    keyword);
            }

            byte[] key = KeyBytes(shape.Names[0]);
            foreach (byte[] value in first.Trie!.Keys())
            {
                trie.Add([(byte)'{', .. key, .. value], i);
            }
        }

        // Every prefix must end at a value with nothing longer after it, or two alternatives could not be told apart.
        foreach (byte[] prefix in Prefixes(trie))
        {
            int node = 0;
            foreach (byte b in prefix)
            {
                node = trie.Next(node, b);
            }

            if (trie.HasChildren(node) || System.Numerics.BitOperations.PopCount(trie.Mask(node)) > 1)
            {
                throw Error($"'{keyword}' at '{pointer}' has object alternatives whose first property values overlap.", pointer, keyword);
            }
        }

        return Add(new GrammarNode(NodeKind.Tagged) { Trie = trie, Tags = [.. objects] });
    }

    private static List<byte[]> Prefixes(ByteTrie trie) => trie.Keys();

    /// <summary>The node a value of <paramref name="node"/> continues in when it starts with <paramref name="b"/>, or -1.</summary>
    private int Target(int node, byte b)
    {
        GrammarNode n = nodes[node];
        bool starts = n.Kind switch
        {
            NodeKind.Union => true,
            NodeKind.Literal => n.Trie!.Next(0, b) >= 0,
            NodeKind.String => b == '"',
            NodeKind.Number or NodeKind.Integer => b == '-' || (b >= '0' && b <= '9'),
            NodeKind.Object or NodeKind.FreeObject or NodeKind.Tagged => b == '{',
            _ => b == '[',
        };
        return !starts ? -1 : n.Kind == NodeKind.Union ? n.Dispatch![b] : node;
    }

    private int Any()
    {
        if (any >= 0)
        {
            return any;
        }

        int[] dispatch = new int[256];
        Array.Fill(dispatch, -1);
        any = Add(new GrammarNode(NodeKind.Union) { Dispatch = dispatch });
        dispatch['{'] = Add(new GrammarNode(NodeKind.FreeObject) { Child = any, Key = PlainString() });
        dispatch['['] = Add(new GrammarNode(NodeKind.Array) { Child = any });
        dispatch['"'] = PlainString();
        int number = Add(new GrammarNode(NodeKind.Number));
        dispatch['-'] = number;
        for (int d = '0'; d <= '9'; d++)
        {
            dispatch[d] = number;
        }

        int literal = Literals([JsonTrue, JsonFalse, JsonNull]);
        dispatch['t'] = dispatch['f'] = dispatch['n'] = literal;
        return any;
    }

    private int PlainString() => plainString >= 0 ? plainString : plainString = Add(new GrammarNode(NodeKind.String));

    private void Finish(int root, int maxDepth)
    {
        for (int i = 0; i < nodes.Count; i++)
        {
            if (nodes[i] is { Kind: NodeKind.Union, Dispatch: null } union)
            {
                Resolve(union, 0);
            }
        }

        // Fixpoint: the frames a shortest value needs, through required properties and minimum item counts.
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (GrammarNode node in nodes)
            {
                int depth = MinDepth(node);
                if (depth < node.MinDepth)
                {
                    node.MinDepth = depth;
                    changed = true;
                }
            }
        }

        int capacity = maxDepth + 1;
        foreach (GrammarNode node in nodes)
        {
            if (node.Shape is { } shape)
            {
                shape.FitMask = new ulong[capacity + 1];
                for (int depth = 0; depth <= capacity; depth++)
                {
                    for (int i = 0; i < shape.Values.Length; i++)
                    {
                        if ((long)depth + nodes[shape.Values[i]].MinDepth <= capacity)
                        {
                            shape.FitMask[depth] |= 1UL << i;
                        }
                    }
                }
            }
        }

        if ((long)nodes[root].MinDepth + 1 > capacity)
        {
            throw Error($"No value of the schema fits within {maxDepth} levels of nesting (required properties or minItems recurse too deep).", string.Empty, null);
        }
    }

    private int MinDepth(GrammarNode node)
    {
        switch (node.Kind)
        {
            case NodeKind.Object:
                long deepest = 0;
                ObjectShape shape = node.Shape!;
                for (int i = 0; i < shape.Values.Length; i++)
                {
                    if ((shape.RequiredFrom[i] & (1UL << i)) != 0)
                    {
                        deepest = Math.Max(deepest, nodes[shape.Values[i]].MinDepth);
                    }
                }

                return (int)Math.Min(int.MaxValue, 1 + deepest);
            case NodeKind.Array:
                return node.Min > 0 ? (int)Math.Min(int.MaxValue, 1L + nodes[node.Child].MinDepth) : 1;
            case NodeKind.Tagged:
                int fewest = int.MaxValue;
                foreach (int tag in node.Tags!)
                {
                    fewest = Math.Min(fewest, nodes[tag].MinDepth);
                }

                return fewest;
            case NodeKind.Union:
                int best = int.MaxValue;
                foreach (int target in node.Dispatch!)
                {
                    best = target >= 0 ? Math.Min(best, nodes[target].MinDepth) : best;
                }

                return best;
            default:
                return 1;
        }
    }
}
