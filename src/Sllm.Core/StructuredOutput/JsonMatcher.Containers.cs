namespace Sllm.StructuredOutput;

/// <content>Objects, arrays and unions.</content>
internal sealed partial class JsonMatcher
{
    // Object phases: 0 before '{', 1 after '{', 2 after a value, 3 after ',', 4 inside a key (b = key trie node),
    // 5 after a free key (expects ':'). a = index of the next declared property.
    private int StepObject(Span<int> s, int f, byte c, GrammarNode n)
    {
        ObjectShape shape = n.Shape!;
        int phase = s[f + 1];
        int next = s[f + 2];
        ulong allowed = shape.Candidates[next] & shape.FitMask[s[0]];
        switch (phase)
        {
            case 0:
                if (c != (byte)'{')
                {
                    return Reject;
                }

                s[f + 1] = 1;
                return Consumed;
            case 1 or 2 or 3:
                if (c == (byte)'}' && phase != 3 && shape.RequiredFrom[next] == 0)
                {
                    Pop(s);
                    return Consumed;
                }

                if (c == (byte)',' && phase == 2 && allowed != 0)
                {
                    s[f + 1] = 3;
                    return Consumed;
                }

                if (phase == 2 || c != (byte)'"')
                {
                    return Reject;
                }

                int first = n.Trie!.Next(0, c);
                if (first < 0 || (n.Trie.Mask(first) & allowed) == 0)
                {
                    return Reject;
                }

                s[f + 1] = 4;
                s[f + 3] = first;
                return Consumed;
            default:
                int child = n.Trie!.Next(s[f + 3], c);
                if (child < 0 || (n.Trie.Mask(child) & allowed) == 0)
                {
                    return Reject;
                }

                int property = n.Trie.Value(child);
                if (property < 0)
                {
                    s[f + 3] = child;
                    return Consumed;
                }

                s[f + 1] = 2;
                s[f + 2] = property + 1;
                return Push(s, shape.Values[property]) ? Consumed : Reject;
        }
    }

    private int StepFreeObject(Span<int> s, int f, byte c, GrammarNode n)
    {
        int phase = s[f + 1];
        switch (phase)
        {
            case 0:
                if (c != (byte)'{')
                {
                    return Reject;
                }

                s[f + 1] = 1;
                return Consumed;
            case 5:
                if (c != (byte)':')
                {
                    return Reject;
                }

                s[f + 1] = 2;
                return Push(s, n.Child) ? Consumed : Reject;
            default:
                if (c == (byte)'}' && phase != 3)
                {
                    Pop(s);
                    return Consumed;
                }

                if (c == (byte)',' && phase == 2 && Fits(s, n.Child))
                {
                    s[f + 1] = 3;
                    return Consumed;
                }

                if (phase == 2 || c != (byte)'"' || !Fits(s, n.Child))
                {
                    return Reject;
                }

                s[f + 1] = 5;
                return Push(s, n.Key) ? Refeed : Reject;
        }
    }

    // Array phases: 0 before '[', 1 after '[', 2 after an item, 3 after ','. a = items so far (saturating).
    private int StepArray(Span<int> s, int f, byte c, GrammarNode n)
    {
        int phase = s[f + 1];
        int count = s[f + 2];
        switch (phase)
        {
            case 0:
                if (c != (byte)'[')
                {
                    return Reject;
                }

                s[f + 1] = 1;
                return Consumed;
            case 1 or 2:
                if (c == (byte)']' && count >= n.Min)
                {
                    Pop(s);
                    return Consumed;
                }

                bool more = (n.Max < 0 || count < n.Max) && (count < n.Min || Fits(s, n.Child));
                if (phase == 2)
                {
                    if (c != (byte)',' || !more)
                    {
                        return Reject;
                    }

                    s[f + 1] = 3;
                    return Consumed;
                }

                if (!more)
                {
                    return Reject;
                }

                break;
        }

        s[f + 1] = 2;
        s[f + 2] = Increment(count, n);
        return Push(s, n.Child) ? Refeed : Reject;
    }

    // A tagged union reads '{', the first key and its literal value along one trie (b = trie node), then becomes the
    // chosen object, after its first property.
    private int StepTagged(Span<int> s, int f, byte c, GrammarNode n)
    {
        int[] tags = n.Tags!;
        ulong fits = 0;
        for (int i = 0; i < tags.Length; i++)
        {
            fits |= s[0] - 1 + nodes[tags[i]].MinDepth <= Capacity ? 1UL << i : 0;
        }

        int next = n.Trie!.Next(s[f + 3], c);
        if (next < 0 || (n.Trie.Mask(next) & fits) == 0)
        {
            return Reject;
        }

        int chosen = n.Trie.Value(next);
        if (chosen < 0)
        {
            s[f + 3] = next;
            return Consumed;
        }

        s[f] = tags[chosen];
        s[f + 1] = 2;
        s[f + 2] = 1;
        s[f + 3] = 0;
        return Consumed;
    }

    private int StepUnion(Span<int> s, int f, byte c, GrammarNode n)
    {
        int target = n.Dispatch![c];
        if (target < 0 || s[0] - 1 + nodes[target].MinDepth > Capacity)
        {
            return Reject;
        }

        s[f] = target;
        s[f + 1] = 0;
        s[f + 2] = 0;
        s[f + 3] = 0;
        return Refeed;
    }
}
