using System.Buffers;

namespace Sllm.Tokenization.Models;

/// <summary>
/// WordPiece (BERT): greedy longest-match-first, non-initial pieces looked up with <c>continuing_subword_prefix</c>;
/// a word with an unmatchable rest, or longer than <c>max_input_chars_per_word</c> code points, becomes one
/// <c>unk_token</c>. Immutable and thread-safe.
/// </summary>
internal sealed class WordPieceModel : TokenizerModel
{
    private readonly string _prefix;
    private readonly int _maxChars;

    public WordPieceModel(Vocabulary vocabulary, int unkId, string continuingSubwordPrefix, int maxInputCharsPerWord)
        : base(vocabulary, unkId, fuseUnk: false)
    {
        _prefix = continuingSubwordPrefix;
        _maxChars = maxInputCharsPerWord;
    }

    public string Prefix => _prefix;

    public override void Encode(ReadOnlySpan<char> word, EncodeBuffer output)
    {
        if (word.IsEmpty)
        {
            return;
        }

        int codePoints = 0;
        for (int i = 0; i < word.Length; i++)
        {
            if (!(char.IsLowSurrogate(word[i]) && i > 0 && char.IsHighSurrogate(word[i - 1])))
            {
                codePoints++;
            }
        }

        if (codePoints > _maxChars)
        {
            AddUnk(output);
            return;
        }

        int mark = output.Count;
        char[] scratch = ArrayPool<char>.Shared.Rent(word.Length + _prefix.Length);
        try
        {
            int start = 0;
            while (start < word.Length)
            {
                int end = word.Length;
                int found = -1;
                while (start < end)
                {
                    ReadOnlySpan<char> candidate = word[start..end];
                    if (start > 0)
                    {
                        _prefix.CopyTo(scratch);
                        candidate.CopyTo(scratch.AsSpan(_prefix.Length));
                        candidate = scratch.AsSpan(0, _prefix.Length + (end - start));
                    }

                    if (Vocabulary.TryGetId(candidate, out int id))
                    {
                        found = id;
                        break;
                    }

                    end--;
                    if (end > start && char.IsLowSurrogate(word[end]) && char.IsHighSurrogate(word[end - 1]))
                    {
                        end--;
                    }
                }

                if (found < 0)
                {
                    output.RemoveRange(mark, output.Count - mark);
                    AddUnk(output);
                    return;
                }

                output.Add(found);
                start = end;
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(scratch);
        }
    }

    private void AddUnk(EncodeBuffer output)
    {
        if (UnkId >= 0)
        {
            output.Add(UnkId);
        }
    }
}
