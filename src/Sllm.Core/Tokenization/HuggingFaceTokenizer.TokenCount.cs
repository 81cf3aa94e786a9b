using Sllm.Tokenization.Models;

namespace Sllm.Tokenization;

/// <content>Index by token count: the cut points behind <c>GetIndexByTokenCount</c>.</content>
public sealed partial class HuggingFaceTokenizer
{
    private int IndexByTokenCount(string text, int maxTokenCount, bool fromEnd, out int tokenCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokenCount);
        EncodeBuffer all = EncodeWithOffsets(text, addSpecialTokens: true);
        EncodeBuffer plain = EncodeWithOffsets(text, addSpecialTokens: false);
        int specials = all.Count - plain.Count;
        int n = plain.Count;
        List<(int Start, int End)> offsets = plain.Offsets!;
        if (n + specials <= maxTokenCount)
        {
            // Everything fits, including text that makes no token (whitespace an added token strips, for example).
            tokenCount = n + specials;
            return fromEnd ? 0 : text.Length;
        }

        // maxEnd[i]: the furthest end among tokens [0, i); minStart[i]: the earliest start among tokens [i, n).
        int[] maxEnd = new int[n + 1];
        int[] minStart = new int[n + 1];
        minStart[n] = int.MaxValue;
        for (int i = 0; i < n; i++)
        {
            maxEnd[i + 1] = Math.Max(maxEnd[i], offsets[i].End);
            minStart[n - 1 - i] = Math.Min(minStart[n - i], offsets[n - 1 - i].Start);
        }

        for (int k = Math.Min(n, maxTokenCount - specials); k > 0; k--)
        {
            int cut = fromEnd ? n - k : k;
            int index = fromEnd ? offsets[n - k].Start : offsets[k - 1].End;

            // A clean cut: no token on one side shares characters with the other side.
            if (maxEnd[cut] > index || minStart[cut] < index)
            {
                continue;
            }

            string part = fromEnd ? text[index..] : text[..index];
            IReadOnlyList<int> ids = EncodeToIds(part, addSpecialTokens: false);
            if (ids.Count == k && SameIds(ids, plain.Ids, fromEnd ? n - k : 0))
            {
                tokenCount = k + specials;
                return index;
            }
        }

        bool fits = specials <= maxTokenCount;
        tokenCount = fits ? specials : 0;
        return fromEnd ? text.Length : 0;
    }

    private static bool SameIds(IReadOnlyList<int> ids, List<int> all, int from)
    {
        for (int i = 0; i < ids.Count; i++)
        {
            if (ids[i] != all[from + i])
            {
                return false;
            }
        }

        return true;
    }
}
