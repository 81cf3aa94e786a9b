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

        for (int k = Math.Min(n, maxTokenCount - specials); k > 0; k--)
        {
            int index = fromEnd ? offsets[n - k].Start : offsets[k - 1].End;
            if (!IsCleanCut(offsets, fromEnd ? n - k : k, index))
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

    /// <summary>Whether no token of one side shares characters with the other side of <paramref name="index"/>.</summary>
    private static bool IsCleanCut(List<(int Start, int End)> offsets, int firstOfSecond, int index)
    {
        for (int i = 0; i < offsets.Count; i++)
        {
            (int start, int end) = offsets[i];
            if (i < firstOfSecond ? end > index : start < index)
            {
                return false;
            }
        }

        return true;
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
