namespace Sllm.StructuredOutput;

/// <content>Literals, strings and numbers.</content>
internal sealed partial class JsonMatcher
{
    /// <summary>Digits allowed before the decimal point (nine, so every integer fits an <see cref="int"/>).</summary>
    public const int MaxIntegerDigits = 9;

    /// <summary>Digits allowed after the decimal point.</summary>
    public const int MaxFractionDigits = 6;

    // String phases: 0 opening quote, 1 body, 2 after a backslash, 3 one continuation byte left, 4 after E0, 5 two
    // continuation bytes left, 6 after ED, 7 after F0, 8 after F1-F3, 9 after F4, 10-13 the four hex digits of \u.
    private const int StringBody = 1;

    private static int StepLiteral(Span<int> s, int f, byte c, GrammarNode n)
    {
        ByteTrie trie = n.Trie!;
        int next = trie.Next(s[f + 2], c);
        if (next >= 0)
        {
            s[f + 2] = next;
            if (trie.Value(next) >= 0 && !trie.HasChildren(next))
            {
                Pop(s);
            }

            return Consumed;
        }

        if (trie.Value(s[f + 2]) >= 0)
        {
            Pop(s);
            return Refeed;
        }

        return Reject;
    }

    private static int StepString(Span<int> s, int f, byte c, GrammarNode n)
    {
        int phase = s[f + 1];
        int count = s[f + 2];
        switch (phase)
        {
            case 0:
                if (c != (byte)'"')
                {
                    return Reject;
                }

                s[f + 1] = StringBody;
                return Consumed;
            case StringBody:
                if (c == (byte)'"')
                {
                    if (count < n.Min)
                    {
                        return Reject;
                    }

                    Pop(s);
                    return Consumed;
                }

                if (c < 0x20 || (n.Max >= 0 && count >= n.Max))
                {
                    return Reject;
                }

                int next = c switch
                {
                    (byte)'\\' => 2,
                    < 0x80 => StringBody,
                    >= 0xC2 and <= 0xDF => 3,
                    0xE0 => 4,
                    0xED => 6,
                    >= 0xE1 and <= 0xEF => 5,
                    0xF0 => 7,
                    >= 0xF1 and <= 0xF3 => 8,
                    0xF4 => 9,
                    _ => -1,
                };
                if (next < 0)
                {
                    return Reject;
                }

                s[f + 1] = next;
                if (next != 2)
                {
                    s[f + 2] = Increment(count, n);
                }

                return Consumed;
            case 2:
                if (c == (byte)'u')
                {
                    s[f + 1] = 10;
                    return Consumed;
                }

                if (c is (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t')
                {
                    s[f + 1] = StringBody;
                    s[f + 2] = Increment(count, n);
                    return Consumed;
                }

                return Reject;
            case 10:
                // No \uD...: a lone surrogate would not survive most JSON readers; such characters can be written raw.
                if (!IsHex(c) || c is (byte)'d' or (byte)'D')
                {
                    return Reject;
                }

                s[f + 1] = 11;
                return Consumed;
            case 11 or 12 or 13:
                if (!IsHex(c))
                {
                    return Reject;
                }

                s[f + 1] = phase == 13 ? StringBody : phase + 1;
                if (phase == 13)
                {
                    s[f + 2] = Increment(count, n);
                }

                return Consumed;
            default:
                (int low, int high, int then) = phase switch
                {
                    3 => (0x80, 0xBF, StringBody),
                    4 => (0xA0, 0xBF, 3),
                    5 => (0x80, 0xBF, 3),
                    6 => (0x80, 0x9F, 3),
                    7 => (0x90, 0xBF, 5),
                    8 => (0x80, 0xBF, 5),
                    _ => (0x80, 0x8F, 5),
                };
                if (c < low || c > high)
                {
                    return Reject;
                }

                s[f + 1] = then;
                return Consumed;
        }
    }

    // Number phases: 0 start, 1 after '-', 2 after a leading 0, 3 integer digits (a = count), 4 after '.', 5 fraction
    // digits (a = count). 2, 3 and 5 may end; the byte that ends a number is handed back to the parent.
    private static int StepNumber(Span<int> s, int f, byte c, GrammarNode n)
    {
        bool digit = c is >= (byte)'0' and <= (byte)'9';
        bool fraction = n.Kind == NodeKind.Number && c == (byte)'.';
        switch (s[f + 1])
        {
            case 0 or 1:
                if (c == (byte)'-' && s[f + 1] == 0)
                {
                    s[f + 1] = 1;
                    return Consumed;
                }

                if (!digit)
                {
                    return Reject;
                }

                s[f + 1] = c == (byte)'0' ? 2 : 3;
                s[f + 2] = 1;
                return Consumed;
            case 2:
                break;
            case 3:
                if (digit && s[f + 2] < MaxIntegerDigits)
                {
                    s[f + 2]++;
                    return Consumed;
                }

                break;
            case 4:
                if (!digit)
                {
                    return Reject;
                }

                s[f + 1] = 5;
                s[f + 2] = 1;
                return Consumed;
            default:
                if (digit && s[f + 2] < MaxFractionDigits)
                {
                    s[f + 2]++;
                    return Consumed;
                }

                Pop(s);
                return Refeed;
        }

        if (fraction)
        {
            s[f + 1] = 4;
            return Consumed;
        }

        Pop(s);
        return Refeed;
    }

    private static bool IsHex(byte c) => c is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F');
}
